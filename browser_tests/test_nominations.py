"""Issue 6 path through the screens: Công đoàn UBND huyện Mỹ Đức proposes a member for the city
federation's Bằng khen; the district forwards; the city receives and posts it publicly; a citizen
comments; the council votes in secret; the leader signs the numbered decision."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from members.models import Membership
from nominations.models import CouncilMember, Dossier
from organizations.models import OrgUnit

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    """Switch user: drop the session cookie (the logout button itself is covered by other tests)."""
    page.context.clear_cookies()


def _pick_person(page, person):
    """The item form picks the nominee through a search (issue 13): no list of every member."""
    assert page.locator("select[name=person]").count() == 0
    search = page.get_by_label("Cá nhân được đề nghị")
    search.fill(person.full_name)
    option = page.locator(f"[data-pick='{person.pk}']")
    expect(option).to_be_visible()
    option.click()
    assert page.locator("input[type=hidden][name=person]").input_value() == str(person.pk)


def test_dossier_up_the_hierarchy_to_a_decision(page, live_server, shot, console_errors, tmp_path):
    call_command("load_demo", verbosity=0)
    hn = OrgUnit.objects.get(code="HN")
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    award = AwardType.objects.get(code="BK_LDLD")
    award.requires_public_posting = True
    award.save()
    first_two = list(
        Membership.objects.filter(unit__path__startswith=ubnd.path, ended_on__isnull=True)
        .select_related("person")
        .order_by("person__sort_key")[:2]
    )
    nominee, second = first_two[0].person, first_two[1].person
    CouncilMember.objects.filter(unit=hn).delete()  # this test seats its own 3-member council
    council = []
    for i in range(3):
        user = User.objects.create_user(
            username=f"hd{i}", password="thidua@2026", full_name=f"Ủy viên Hội đồng {i + 1}"
        )
        CouncilMember.objects.create(unit=hn, user=user, valid_from=dt.date(2024, 1, 1))
        council.append(user)
    # the city's leader who signs is a demo account (lanhdao.hanoi: Lãnh đạo đơn vị on the city)
    assert RoleAssignment.objects.filter(user__username="lanhdao.hanoi", role=Role.LEADER, unit=hn).exists()
    pdf = tmp_path / "to-trinh.pdf"
    pdf.write_bytes(b"%PDF-1.4 to trinh")

    # 1. the Mỹ Đức officer prepares the dossier for Công đoàn UBND huyện Mỹ Đức
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/de-nghi/lap/?don_vi={ubnd.pk}")
    page.get_by_label("Trích yếu").fill("Đề nghị tặng Bằng khen LĐLĐ thành phố năm 2025")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("link", name="Thêm đề nghị").click()
    _pick_person(page, nominee)
    page.get_by_label("Hình thức khen thưởng, danh hiệu").select_option(str(award.pk))
    page.get_by_label("Tóm tắt thành tích").fill("Hoàn thành xuất sắc nhiệm vụ; 2 sáng kiến được công nhận.")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("link", name="Thêm đề nghị").click()
    _pick_person(page, second)
    page.get_by_label("Hình thức khen thưởng, danh hiệu").select_option(str(award.pk))
    page.get_by_label("Tóm tắt thành tích").fill("Hoàn thành tốt nhiệm vụ.")
    page.get_by_role("button", name="Lưu").click()
    for kind in ("TO_TRINH", "DANH_SACH"):
        page.get_by_label("Loại tài liệu").select_option(kind)
        page.get_by_label("Tệp (PDF, Word, Excel, ảnh)").set_input_files(str(pdf))
        page.get_by_role("button", name="Đính kèm").click()
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(page.get_by_text("Đã gửi hồ sơ lên cấp trên.")).to_be_visible()
    shot(page, "30-dossier-submitted", width=1280)
    dossier = Dossier.objects.get(title="Đề nghị tặng Bằng khen LĐLĐ thành phố năm 2025")

    # 2. the district (same officer holds LĐLĐ huyện Mỹ Đức) forwards
    page.get_by_role("button", name="Đồng ý, chuyển cấp trên").click()
    expect(page.get_by_text("Đã chuyển hồ sơ lên cấp trên.")).to_be_visible()
    logout(page)

    # 3. the city officer receives it and posts it publicly
    login(page, live_server, "canbo.hanoi")
    page.goto(f"{live_server.url}/de-nghi/")
    page.get_by_role("link", name="Đề nghị tặng Bằng khen LĐLĐ thành phố năm 2025").first.click()
    dossier = Dossier.objects.get(title="Đề nghị tặng Bằng khen LĐLĐ thành phố năm 2025")
    # the city returns the second nominee with a reason
    page.get_by_label("Ý kiến, lý do").fill("Bổ sung số liệu sáng kiến của đồng chí " + second.full_name)
    page.get_by_label(second.full_name).check()
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Đã trả lại hồ sơ.")).to_be_visible()
    logout(page)

    # the grassroots union fixes the returned nominee and resubmits (phone)
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/de-nghi/{dossier.pk}/")
    expect(page.get_by_text("Bổ sung số liệu sáng kiến").first).to_be_visible()
    shot(page, "30b-returned", width=375)
    page.get_by_text("Sửa đề nghị (hình thức, thành tích, lý do)").nth(1).click()
    page.locator("textarea[name$='-achievement_summary']").nth(1).fill(
        "Hoàn thành tốt nhiệm vụ; 1 sáng kiến cấp cơ sở."
    )
    page.get_by_role("button", name="Lưu", exact=True).click()  # the only visible one: the opened form
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    page.get_by_role("button", name="Đồng ý, chuyển cấp trên").click()
    expect(page.get_by_text("Đã chuyển hồ sơ lên cấp trên.")).to_be_visible()
    logout(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.hanoi")
    page.goto(f"{live_server.url}/de-nghi/{dossier.pk}/")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_text("Đã tiếp nhận hồ sơ.")).to_be_visible()
    page.get_by_role("button", name="Công khai", exact=True).click()
    dossier.refresh_from_db()
    logout(page)

    # 4. a citizen comments on the public page (phone)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{dossier.posting.get_absolute_url()}")
    expect(page.get_by_text(nominee.full_name)).to_be_visible()
    page.get_by_label("Họ và tên").fill("Một người dân")
    page.get_by_label("Ý kiến").fill("Đồng tình với đề nghị.")
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_text("Cảm ơn bạn.")).to_be_visible()
    shot(page, "31-public-posting", width=375)

    # 5. the city closes the posting and opens the council session
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.hanoi")
    page.goto(f"{live_server.url}/de-nghi/{dossier.pk}/")
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.get_by_role("link", name="Kết thúc công khai, trình Hội đồng").click()
    # the posting period is not over: ending it early needs a reason
    page.get_by_label("Lý do kết thúc sớm").fill("Đã đủ ý kiến góp ý của người lao động.")
    page.get_by_role("button", name="Kết thúc sớm").click()
    expect(page.get_by_text("Đã kết thúc công khai; hồ sơ chuyển Hội đồng.")).to_be_visible()
    page.goto(f"{live_server.url}/de-nghi/hoi-dong/mo/?don_vi={hn.pk}")
    page.get_by_label("Nội dung phiên họp").fill("Phiên họp xét khen thưởng năm 2025")
    page.get_by_label("Địa điểm").fill("Hội trường tầng 3, trụ sở LĐLĐ thành phố Hà Nội")
    page.get_by_label("Thư ký phiên họp").fill("Đỗ Thị Thu Hà")
    shot(page, "32a-session-open", width=1280)
    shot(page, "32a-session-open", width=375)
    page.get_by_label(re.compile("Đề nghị tặng Bằng khen")).check()
    page.get_by_role("button", name="Lưu").click()
    session_url = page.url
    logout(page)

    # 6. the council votes in secret (one on a phone)
    for i, member in enumerate(council):
        page.set_viewport_size({"width": 375 if i == 0 else 1280, "height": 800})
        login(page, live_server, member.username)
        page.goto(session_url)
        for radio in page.get_by_label("Đồng ý", exact=True).all():
            radio.check()
        if i == 0:
            shot(page, "32-ballot", width=375)
        page.get_by_role("button", name="Gửi phiếu").click()
        expect(page.get_by_text("Bạn đã bỏ phiếu", exact=True).first).to_be_visible()
        logout(page)

    # 7. count and sign
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.hanoi")
    page.goto(session_url)
    page.get_by_role("button", name="Kết thúc bỏ phiếu, kiểm phiếu").click()
    expect(page.get_by_text(re.compile("3/3 đồng ý")).first).to_be_visible()
    shot(page, "33-minutes", width=1280)
    logout(page)
    login(page, live_server, "lanhdao.hanoi")
    page.goto(f"{live_server.url}/de-nghi/{dossier.pk}/")
    page.get_by_label("Người ký").fill("Nguyễn Văn Ký")
    page.get_by_role("button", name="Ký, ban hành").click()
    expect(page.get_by_text(re.compile(r"Đã ban hành Quyết định số \d+/QĐ-LĐLĐ"))).to_be_visible()
    shot(page, "34-decided", width=1280)
    shot(page, "34-decided", width=375)
    assert AwardRecord.objects.filter(person=nominee, award_type=award).count() == 1
    assert AwardRecord.objects.filter(person=second, award_type=award).count() == 1
    assert dossier.steps.filter(round=2).count() == 2  # the resubmission went through both levels again

    # 8. the city officer takes the official documents: the decision with its annex, the certificates
    logout(page)
    login(page, live_server, "canbo.hanoi")
    page.goto(f"{live_server.url}/de-nghi/{dossier.pk}/")
    expect(page.get_by_test_id("decision-certificates")).to_be_visible()
    page.get_by_role("link", name="Văn bản theo Nghị định 30 (tờ trình, danh sách đề nghị)").click()
    expect(page.get_by_role("heading", name=re.compile("Văn bản hồ sơ"))).to_be_visible()
    expect(page.get_by_text("Biên bản họp Hội đồng Thi đua - Khen thưởng")).to_be_visible()
    shot(page, "35-dossier-documents", width=1280)
    shot(page, "35-dossier-documents", width=375)
    page.set_viewport_size({"width": 1280, "height": 900})
    decision = dossier.decisions.get()
    with page.expect_download() as download_info:
        page.locator(f"a[href='/van-ban/quyet-dinh/{decision.pk}.docx']").click()
    path = tmp_path / "quyet-dinh.docx"
    download_info.value.save_as(path)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert f"Số: {decision.number}" in "\n".join(
        cell.text for table in Document(str(path)).tables for row in table.rows for cell in row.cells
    )
    assert "Tặng Bằng khen của Liên đoàn Lao động thành phố Hà Nội" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(
        cell.text for table in Document(str(path)).tables for row in table.rows for cell in row.cells
    )
    certificates = page.request.get(f"{live_server.url}/van-ban/quyet-dinh/{decision.pk}/giay-khen.pdf")
    assert certificates.status == 200 and certificates.body()[:5] == b"%PDF-"
    assert console_errors == []
