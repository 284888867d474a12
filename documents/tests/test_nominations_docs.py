"""Tờ trình, danh sách đề nghị, biên bản họp Hội đồng and quyết định khen thưởng from nominations data,
in the Nghị định 30/2020 layout (.docx and .pdf), driven through the real nomination services."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from accounts.roles import Role
from commendations.models import AwardType
from documents.models import DocumentKind, DocumentNumber
from documents.nominations_docs import (
    council_minutes_docx,
    decision_docx,
    dossier_to_trinh_docx,
    minutes_number_allocate,
)
from documents.numbering import nd30_date
from documents.pdf import soffice_path
from nominations import services
from nominations.choices import DossierState
from nominations.eligibility import vote_threshold
from nominations.models import CouncilMember, Decision, Dossier
from nominations.tests import conftest as nominations_conftest
from organizations.models import OrgUnit

# the nominations fixtures, shared: the catalogue (autouse here too), the officers and council, the award
catalogue = nominations_conftest.catalogue
people = nominations_conftest.people
bk_city = nominations_conftest.bk_city
attach_documents = nominations_conftest.attach_documents

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


def docx_text(content: bytes) -> str:
    """Every paragraph of the body and of every table cell (nested), one per line."""
    doc = Document(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- a dossier of the test tree through the whole workflow -------------------------------------------


@pytest.fixture
def decided(tree, people, bk_city):
    """Công đoàn UBND huyện Mỹ Đức proposes the city's Bằng khen for 3 members and 1 union group; the
    district forwards, the city accepts and posts, the council of 9 votes (Hoa 7/9), a decision."""
    cdcs = people["cdcs"]
    dossier = services.dossier_create(
        acting_user=cdcs,
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Đề nghị tặng Bằng khen LĐLĐ thành phố năm 2025",
    )
    for person in (tree.an, tree.hoa, tree.chu_tich):
        services.item_add(
            acting_user=cdcs,
            dossier=dossier,
            award_type=bk_city,
            person=person,
            achievement_summary=f"Hoàn thành xuất sắc nhiệm vụ năm 2025 — {person.full_name}",
            achievement_id=f"TT-2025-{person.pk}",
        )
    services.item_add(
        acting_user=cdcs,
        dossier=dossier,
        award_type=bk_city,
        unit=tree.t1,
        achievement_summary="Tập thể dẫn đầu phong trào thi đua của Công đoàn cơ sở năm 2025",
        override_reason="Thành tích tiêu biểu được Ban Chấp hành nhất trí đề nghị",
    )
    attach_documents(cdcs, dossier)
    services.dossier_submit(acting_user=cdcs, dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    today = timezone.localdate()
    services.posting_open(
        acting_user=people["city"], dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=10)
    )
    services.posting_close(acting_user=people["city"], dossier=dossier, early_reason="Đã đủ ý kiến góp ý")
    session = services.council_session_open(
        acting_user=people["city"],
        unit=tree.hn,
        title="Phiên xét khen thưởng",
        held_on=today,
        dossiers=[dossier],
    )
    items = list(dossier.items.all())
    for i, member in enumerate(people["council"]):
        for item in items:
            choice = "NO" if item.person_id == tree.hoa.pk and i >= 7 else "YES"
            services.ballot_cast(acting_user=member, session=session, item=item, choice=choice)
    services.council_session_close(acting_user=people["city"], session=session)
    decision = services.decision_issue(
        acting_user=people["leader"],
        dossier=dossier,
        issued_on=today,
        signer_name="Khuất Văn Thành",
        signer_title="Chủ tịch",
        symbol="QĐ-LĐLĐ",
    )
    dossier.refresh_from_db()
    session.refresh_from_db()
    return dossier, session, decision


def test_to_trinh_and_danh_sach_docx(client, tree, people, decided):
    dossier, _, _ = decided
    client.force_login(people["cdcs"])
    page = client.get(f"/van-ban/ho-so/{dossier.pk}/")
    assert page.status_code == 200 and "Cấp số" in page.content.decode()
    draft = client.get(f"/van-ban/ho-so/{dossier.pk}/to-trinh.docx")
    assert draft.status_code == 200
    assert "Số:      /TTr-CĐCS" in docx_text(draft.content)  # unnumbered: the number left blank

    assert client.post(f"/van-ban/ho-so/{dossier.pk}/cap-so/").status_code == 302
    number = DocumentNumber.objects.get(kind=DocumentKind.TO_TRINH, subject_id=dossier.pk)
    assert number.notation == "01/TTr-CĐCS" and number.issuer == tree.ubnd
    assert client.post(f"/van-ban/ho-so/{dossier.pk}/cap-so/").status_code == 302  # same number again
    assert DocumentNumber.objects.filter(kind=DocumentKind.TO_TRINH).count() == 1
    page = client.get(f"/van-ban/ho-so/{dossier.pk}/").content.decode()
    assert "01/TTr-CĐCS" in page and "Cấp số</button>" not in page

    response = client.get(f"/van-ban/ho-so/{dossier.pk}/to-trinh.docx")
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert [
        round(m.mm)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [20, 20, 30, 15]
    header = doc.tables[0]
    left = [p.text for p in header.rows[0].cells[0].paragraphs if p.text]
    right = [p for p in header.rows[0].cells[1].paragraphs if p.text]
    assert left == ["LIÊN ĐOÀN LAO ĐỘNG HUYỆN MỸ ĐỨC", "CÔNG ĐOÀN ỦY BAN NHÂN DÂN HUYỆN MỸ ĐỨC"]
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].underline
    assert header.rows[1].cells[0].text == "Số: 01/TTr-CĐCS"
    date_line = header.rows[1].cells[1].paragraphs[0]
    # the test tree has no areas: the place falls back to Hà Nội (the demo checks "Mỹ Đức")
    assert date_line.text == f"Hà Nội, {nd30_date(number.issued_on)}" and date_line.runs[0].italic
    assert all(r.font.name == "Times New Roman" for p in doc.paragraphs for r in p.runs)
    text = docx_text(response.content)
    for expected in (
        "TỜ TRÌNH",
        "V/v đề nghị khen thưởng tổng kết năm 2025",
        "Kính gửi: Ban Thường vụ Liên đoàn Lao động huyện Mỹ Đức",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        # received today: the rule set from 2025-07-01 and its decree (issue 11: was a fixed 98/2023)
        "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành",
        "cho 01 tập thể và 03 cá nhân",
        "1. Bằng khen của Liên đoàn Lao động thành phố Hà Nội: 01 tập thể và 03 cá nhân.",
        "Nơi nhận:",
        "TM. BAN CHẤP HÀNH",
        "CHỦ TỊCH",
        "Đặng Đức Thắng",  # the chair of the proposing union signs
    ):
        assert expected in text, expected

    listing = client.get(f"/van-ban/ho-so/{dossier.pk}/danh-sach.docx")
    doc = Document(io.BytesIO(listing.content))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [
        round(m.mm)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [30, 15, 20, 20]
    text = docx_text(listing.content)
    assert "(Kèm theo Tờ trình số 01/TTr-CĐCS" in text and "DANH SÁCH" in text
    table = doc.tables[1]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == [
        "STT",
        "Họ và tên (tập thể)",
        "Chức vụ, đơn vị",
        "Hình thức đề nghị",
        "Tóm tắt thành tích",
    ]
    assert cells[1][0] == "I. TẬP THỂ" and cells[1][-1] == "I. TẬP THỂ"  # one merged row
    assert cells[2][:3] == [
        "1",
        "Tổ công đoàn Phòng Nội vụ",
        "Trực thuộc Công đoàn Ủy ban nhân dân huyện Mỹ Đức",
    ]
    assert cells[3][0] == "II. CÁ NHÂN"
    names = [row[1] for row in cells[4:]]
    assert names == ["Nguyễn Văn An", "Trần Thị Hoa", "Đặng Đức Thắng"]
    assert cells[6][2] == "Chủ tịch Công đoàn Ủy ban nhân dân huyện Mỹ Đức"
    assert cells[4][2] == "Tổ công đoàn Phòng Nội vụ, Công đoàn Ủy ban nhân dân huyện Mỹ Đức"


def test_minutes_show_counts_from_tally_only(client, tree, people, decided):
    _, session, _ = decided
    threshold, rule_set = vote_threshold(received_on=session.dossiers.get().received_on)
    client.force_login(people["council"][3])  # a council member sees the session and its minutes
    response = client.get(f"/van-ban/hoi-dong/{session.pk}/bien-ban.docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    for expected in (
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua - Khen thưởng LĐLĐ thành phố Hà Nội",
        "Tổng số thành viên Hội đồng Thi đua - Khen thưởng: 9 người.",
        "Số thành viên có mặt, tham gia bỏ phiếu: 9/9 người.",
        f"Chủ trì: {people['council'][0].full_name}, Chủ tịch Hội đồng Thi đua - Khen thưởng.",
        f"{threshold * 100:.0f}% theo {rule_set}",
        "Tổng hợp: 3/4 trường hợp đạt",
        "THƯ KÝ",
        "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert expected in text, expected
    assert "Nơi nhận" not in text
    doc = Document(io.BytesIO(response.content))
    votes = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert votes[0] == [
        "STT",
        "Tập thể, cá nhân được đề nghị",
        "Hình thức đề nghị",
        "Tán thành",
        "Tỷ lệ",
        "Kết quả",
    ]
    by_name = {row[1]: row for row in votes[1:]}
    assert by_name["Nguyễn Văn An"][2:] == [
        "Bằng khen của Liên đoàn Lao động thành phố Hà Nội",
        "9/9",
        "100,00%",
        "Đạt",
    ]
    assert by_name["Trần Thị Hoa"][3:] == ["7/9", "77,78%", "Không đạt"]
    assert by_name["Tổ công đoàn Phòng Nội vụ"][5] == "Đạt"
    # secrecy: no voter's name anywhere in the minutes (the chair signs, but never next to a choice)
    for member in people["council"][1:]:
        assert member.full_name not in text
    assert "Không đồng ý" not in text and "Đồng ý" not in text


def test_minutes_time_place_secretary_and_their_number(client, tree, people, decided, make_user):
    dossier, session, decision = decided
    text = docx_text(council_minutes_docx(session))
    assert f"Địa điểm: trụ sở {tree.hn.name}." in text and "Số:      /BB-HĐTĐKT" in text
    session.starts_at = dt.time(14, 0)
    session.place = "Hội trường tầng 3, trụ sở LĐLĐ thành phố Hà Nội"
    session.secretary = "Đỗ Thị Thu Hà"
    session.save()
    text = docx_text(council_minutes_docx(session))
    assert f"Thời gian: 14 giờ 00, {nd30_date(session.held_on)}." in text
    assert "Địa điểm: Hội trường tầng 3, trụ sở LĐLĐ thành phố Hà Nội." in text
    assert "Thư ký: Đỗ Thị Thu Hà." in text and text.count("Đỗ Thị Thu Hà") == 2  # and under "THƯ KÝ"

    # numbering: a reviewer of the council's unit, from the unit's register (after the decision's number)
    client.force_login(people["council"][3])  # a council member reads the minutes but does not number them
    assert client.post(f"/van-ban/hoi-dong/{session.pk}/cap-so/").status_code == 403
    outsider = make_user(Role.OFFICER, tree.hbt)
    client.force_login(outsider)
    assert client.post(f"/van-ban/hoi-dong/{session.pk}/cap-so/").status_code == 404
    client.force_login(people["city"])
    page = client.get(f"/van-ban/ho-so/{dossier.pk}/").content.decode()
    assert f"/van-ban/hoi-dong/{session.pk}/cap-so/" in page
    response = client.post(f"/van-ban/hoi-dong/{session.pk}/cap-so/", {"ho_so": dossier.pk})
    assert response.status_code == 302 and response["Location"] == f"/van-ban/ho-so/{dossier.pk}/"
    number = DocumentNumber.objects.get(kind=DocumentKind.BIEN_BAN, subject_id=session.pk)
    assert number.issuer_id == tree.hn.pk and number.sequence == decision.sequence + 1
    again = minutes_number_allocate(acting_user=people["city"], session=session)
    assert again.pk == number.pk  # never a second number
    page = client.get(f"/van-ban/ho-so/{dossier.pk}/").content.decode()
    assert f"{number.sequence:02d}/BB-HĐTĐKT" in page and "Cấp số biên bản" not in page
    minutes = client.get(f"/van-ban/hoi-dong/{session.pk}/bien-ban.docx")
    assert f"Số: {number.sequence:02d}/BB-HĐTĐKT" in docx_text(minutes.content)
    response = client.post(f"/van-ban/hoi-dong/{session.pk}/cap-so/")  # from the session page
    assert response["Location"] == f"/de-nghi/hoi-dong/{session.pk}/"


def test_minutes_need_a_closed_session(tree, people, decided):
    _, session, _ = decided
    session.state = "OPEN"
    with pytest.raises(ValueError, match="chưa kết thúc"):
        council_minutes_docx(session)


def test_decision_with_annex_on_a_new_page(client, tree, people, decided):
    dossier, session, decision = decided
    assert decision.number == "01/QĐ-LĐLĐ"
    client.force_login(people["cdcs"])  # the proposing unit sees its dossier, hence the decision
    response = client.get(f"/van-ban/quyet-dinh/{decision.pk}.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    header = doc.tables[0]
    assert [p.text for p in header.rows[0].cells[0].paragraphs if p.text] == [
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
    ]
    assert header.rows[1].cells[0].text == "Số: 01/QĐ-LĐLĐ"
    assert header.rows[1].cells[1].text == f"Hà Nội, {nd30_date(decision.issued_on)}"
    text = docx_text(response.content)
    issued = nd30_date(decision.issued_on)
    for expected in (
        "QUYẾT ĐỊNH",
        "Về việc khen thưởng tổng kết năm 2025",
        "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        f"Căn cứ kết quả họp Hội đồng Thi đua - Khen thưởng LĐLĐ thành phố Hà Nội {nd30_date(session.held_on)};",
        "Xét đề nghị của Công đoàn Ủy ban nhân dân huyện Mỹ Đức.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Tặng Bằng khen của Liên đoàn Lao động thành phố Hà Nội cho 01 tập thể và 02 cá nhân "
        "(có danh sách kèm theo) đã có thành tích xuất sắc",
        "Điều 2.",
        "Điều 3.",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Khuất Văn Thành",
        "Nơi nhận:",
        "Như Điều 3;",
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN CỦA LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
        f"(Kèm theo Quyết định số 01/QĐ-LĐLĐ {issued} của Ban Thường vụ Liên đoàn Lao động thành phố Hà Nội)",
    ):
        assert expected in text, expected
    body = doc.element.body
    breaks = body.xpath(".//w:br[@w:type='page']")
    assert len(breaks) == 1  # the annex starts a new page
    annex = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in annex.rows]
    assert rows[0] == ["STT", "Họ và tên (tập thể)", "Chức vụ, đơn vị"]
    assert [r[1] for r in rows if r[0] == "1" or r[0] == "2"] == [
        "Tổ công đoàn Phòng Nội vụ",
        "Nguyễn Văn An",
        "Đặng Đức Thắng",
    ]
    assert "Trần Thị Hoa" not in "\n".join("".join(r) for r in rows)  # rejected by the council


def test_decision_and_to_trinh_numbers_share_the_issuers_register(tree, people, decided):
    """decision_issue takes its sequence from documents.number_allocate: one register per issuer and year."""
    _, _, decision = decided
    number = DocumentNumber.objects.get(kind=DocumentKind.QUYET_DINH)
    assert number.subject == decision and number.issuer == tree.hn and number.sequence == decision.sequence
    plan = services_number(people["city"], tree.hn)
    assert plan.sequence == decision.sequence + 1  # the next document of the city follows the decision


def services_number(user, unit):
    from documents.services import number_allocate

    return number_allocate(
        acting_user=user,
        issuer=unit,
        kind=DocumentKind.KE_HOACH,
        title="Kế hoạch",
        issued_on=timezone.localdate(),
    )


def test_outsiders_get_404_and_readers_may_not_allocate(client, tree, people, decided):
    dossier, session, decision = decided
    client.force_login(people["outsider"])  # an officer of a sibling district
    for url in (
        f"/van-ban/ho-so/{dossier.pk}/",
        f"/van-ban/ho-so/{dossier.pk}/to-trinh.docx",
        f"/van-ban/ho-so/{dossier.pk}/danh-sach.pdf",
        f"/van-ban/hoi-dong/{session.pk}/bien-ban.docx",
        f"/van-ban/hoi-dong/{session.pk}/bien-ban.pdf",
        f"/van-ban/quyet-dinh/{decision.pk}.docx",
        f"/van-ban/quyet-dinh/{decision.pk}.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Đặng Đức Thắng" not in response.content.decode(errors="ignore")
    assert client.post(f"/van-ban/ho-so/{dossier.pk}/cap-so/").status_code == 404
    # the proposing union's officer sees the dossier but not the city's council session
    client.force_login(people["cdcs"])
    assert client.get(f"/van-ban/hoi-dong/{session.pk}/bien-ban.docx").status_code == 404
    # the city's leader sees the dossier (above it) but prepares nothing: no number from them
    client.force_login(people["leader"])
    assert client.get(f"/van-ban/ho-so/{dossier.pk}/to-trinh.docx").status_code == 200
    assert client.post(f"/van-ban/ho-so/{dossier.pk}/cap-so/").status_code == 403
    assert not DocumentNumber.objects.filter(kind=DocumentKind.TO_TRINH).exists()
    assert client.get(f"/van-ban/ho-so/{dossier.pk}/to-trinh.doc").status_code == 404
    client.logout()
    assert client.get(f"/van-ban/quyet-dinh/{decision.pk}.docx").status_code == 302  # to the login page


def test_links_in_the_nomination_screens(client, tree, people, decided):
    dossier, session, decision = decided
    client.force_login(people["city"])
    detail = client.get(f"/de-nghi/{dossier.pk}/").content.decode()
    assert f"/van-ban/ho-so/{dossier.pk}/" in detail and f"/van-ban/quyet-dinh/{decision.pk}.docx" in detail
    assert f"/van-ban/quyet-dinh/{decision.pk}/giay-khen.pdf" in detail  # the city's officer prints them
    documents = client.get(f"/van-ban/ho-so/{dossier.pk}/").content.decode()
    assert f"/van-ban/quyet-dinh/{decision.pk}/giay-khen.pdf" in documents
    page = client.get(f"/de-nghi/hoi-dong/{session.pk}/").content.decode()
    assert f"/van-ban/hoi-dong/{session.pk}/bien-ban.docx" in page
    client.force_login(people["cdcs"])  # the proposing union sees the decision, but does not print
    detail = client.get(f"/de-nghi/{dossier.pk}/").content.decode()
    assert f"/van-ban/quyet-dinh/{decision.pk}.docx" in detail
    assert "giay-khen.pdf" not in detail
    assert "giay-khen.pdf" not in client.get(f"/van-ban/ho-so/{dossier.pk}/").content.decode()


def test_builders_read_in_bounded_queries(tree, people, decided, make_user):
    """More nominees do not mean more queries, except tally's two per nominee in the minutes."""
    dossier, session, decision = decided
    dossier = Dossier.objects.select_related("proposing_unit__unit_type", "authority").get(pk=dossier.pk)
    with CaptureQueriesContext(connection) as ctx:
        dossier_to_trinh_docx(dossier)
    assert len(ctx) <= 8
    decision = Decision.objects.select_related("issuing_unit__unit_type", "dossier__proposing_unit").get(
        pk=decision.pk
    )
    with CaptureQueriesContext(connection) as ctx:
        decision_docx(decision)
    assert len(ctx) <= 10
    with CaptureQueriesContext(connection) as ctx:
        council_minutes_docx(session)
    assert len(ctx) <= 10 + 2 * dossier.items.count()


# --- the demo data: Công đoàn UBND huyện Mỹ Đức's dossier waiting at the district ---------------------


def _require_pdf_tools():
    if soffice_path() is None or not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        if os.environ.get("THIDUA_REQUIRE_BROWSER") == "1":
            pytest.fail("THIDUA_REQUIRE_BROWSER=1 but LibreOffice (soffice) or poppler-utils is missing")
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    users = get_user_model().objects
    district, city, admin = (users.get(username=u) for u in ("canbo.myduc", "canbo.hanoi", "admin"))
    dossier = Dossier.objects.get(proposing_unit__code="HN-MD-UBND", state=DossierState.IN_REVIEW)
    services.step_open(acting_user=district, dossier=dossier)
    services.step_forward(acting_user=district, dossier=dossier, note="Đồng ý đề nghị")
    services.step_accept(acting_user=city, dossier=dossier)
    dossier.refresh_from_db()
    if dossier.state == DossierState.POSTED:
        services.posting_open(
            acting_user=city, dossier=dossier, starts_on=timezone.localdate(), ends_on=timezone.localdate()
        )
        services.posting_close(acting_user=city, dossier=dossier, early_reason="Đã đủ ý kiến góp ý")
    hn = OrgUnit.objects.get(code="HN")
    today = timezone.localdate()
    session = services.council_session_open(
        acting_user=city,
        unit=hn,
        title="Phiên họp xét khen thưởng năm 2024",
        held_on=today,
        dossiers=[dossier],
    )
    members = [m.user for m in CouncilMember.objects.filter(unit=hn).select_related("user").order_by("pk")]
    for member in members[:8]:  # one member is absent: counts as not yes (R-VOTE-01)
        for item in dossier.items.all():
            services.ballot_cast(acting_user=member, session=session, item=item, choice="YES")
    services.council_session_close(acting_user=city, session=session)
    session.refresh_from_db()
    decision = services.decision_issue(
        acting_user=admin,
        dossier=dossier,
        issued_on=today,
        signer_name="Nguyễn Phi Thường",
        signer_title="Chủ tịch",
        symbol="QĐ-LĐLĐ",
    )
    return {"dossier": dossier, "session": session, "decision": decision, "district": district, "city": city}


def _pdf_text(pdf: bytes, path) -> str:
    path.write_bytes(pdf)
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return flat(raw)


def _render(path, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    prefix = os.path.join(ARTIFACTS, name)
    for old in os.listdir(ARTIFACTS):  # pages of an earlier run (only this document's: name-<n>.png)
        if old.startswith(name + "-") and old[len(name) + 1 : -4].isdigit() and old.endswith(".png"):
            os.remove(os.path.join(ARTIFACTS, old))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), prefix], check=True)
    assert os.path.exists(f"{prefix}-1.png") or os.path.exists(f"{prefix}-01.png")


def test_demo_documents_docx_and_pdf(client, demo, tmp_path):
    dossier, session, decision = demo["dossier"], demo["session"], demo["decision"]
    items = list(dossier.items.select_related("person"))
    names = [i.person.full_name for i in items]
    threshold, _ = vote_threshold(received_on=dossier.received_on)
    passed = threshold <= 8 / 9
    award = AwardType.objects.get(code="BK_LDLD")
    assert all(i.award_type_id == award.pk for i in items)

    client.force_login(demo["district"])
    assert client.post(f"/van-ban/ho-so/{dossier.pk}/cap-so/").status_code == 302
    number = DocumentNumber.objects.get(kind=DocumentKind.TO_TRINH, subject_id=dossier.pk)
    expected = {
        "to-trinh": (
            f"/van-ban/ho-so/{dossier.pk}/to-trinh",
            [
                "LIÊN ĐOÀN LAO ĐỘNG HUYỆN MỸ ĐỨC",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                f"Số: {number.notation}",
                f"Mỹ Đức, {nd30_date(number.issued_on)}",
                "TỜ TRÌNH",
                "V/v đề nghị khen thưởng tổng kết năm 2024",
                f"cho {len(items):02d} cá nhân",
                "Kính gửi: Ban Thường vụ Liên đoàn Lao động huyện Mỹ Đức",
                "TM. BAN CHẤP HÀNH",
            ],
        ),
        "danh-sach": (
            f"/van-ban/ho-so/{dossier.pk}/danh-sach",
            [
                "DANH SÁCH",
                f"Kèm theo Tờ trình số {number.notation}",
                "I. CÁ NHÂN",
                "Tóm tắt thành tích",
                *names,
            ],
        ),
        "bien-ban": (
            f"/van-ban/hoi-dong/{session.pk}/bien-ban",
            [
                "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
                "BIÊN BẢN",
                "Số thành viên có mặt, tham gia bỏ phiếu: 8/9 người.",
                "Tán thành",
                "8/9",
                "88,89%",
                "Đạt" if passed else "Không đạt",
                *names,
            ],
        ),
    }
    if decision is not None:
        expected["quyet-dinh"] = (
            f"/van-ban/quyet-dinh/{decision.pk}",
            [
                "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
                f"Số: {decision.number}",
                "QUYẾT ĐỊNH:",
                f"cho {len(items):02d} cá nhân (có danh sách kèm theo)",
                "TM. BAN THƯỜNG VỤ",
                "Nguyễn Phi Thường",
                f"(Kèm theo Quyết định số {decision.number}",
                *names,
            ],
        )
    else:
        assert not passed
    client.force_login(demo["city"])  # the city's officer sees everything: dossier above it, its council
    docx_bodies = {}
    for key, (url, strings) in expected.items():
        response = client.get(f"{url}.docx")
        assert response.status_code == 200, url
        text = flat(docx_text(response.content))
        for s in strings:
            assert s in text, (key, s)
        docx_bodies[key] = response
    _require_pdf_tools()
    for n, (key, (url, strings)) in enumerate(expected.items()):
        content = pdf_via_job(client, f"{url}/tao-pdf/")
        path = tmp_path / f"{key}.pdf"
        text = _pdf_text(content, path)
        for s in strings:
            assert s in text, (key, s)
        _render(path, f"5{n}-nominations-{key}")


def pdf_via_job(client, url: str) -> bytes:
    """A PDF is a background job: the POST starts it and redirects to the job page, which offers the
    download once done (the immediate task backend of the tests finishes it within the request)."""
    started = client.post(url)
    assert started.status_code == 302 and started["Location"].startswith("/tep/"), (url, started)
    page = client.get(started["Location"]).content.decode()
    assert "Tải về" in page, page
    response = client.get(started["Location"] + "tai-ve/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    return b"".join(response.streaming_content)


def test_groups_of_collectives_and_individuals_in_pdf(client, tree, people, decided, tmp_path):
    dossier, _, decision = decided
    client.force_login(people["city"])
    _require_pdf_tools()
    for n, (url, strings) in enumerate(
        (
            (
                f"/van-ban/ho-so/{dossier.pk}/danh-sach/tao-pdf/",
                ["I. TẬP THỂ", "Tổ công đoàn Phòng Nội vụ", "II. CÁ NHÂN", "Trần Thị Hoa", "Đặng Đức Thắng"],
            ),
            (
                f"/van-ban/quyet-dinh/{decision.pk}/tao-pdf/",
                ["Điều 1.", "cho 01 tập thể và 02 cá nhân", "I. TẬP THỂ", "II. CÁ NHÂN", "Nguyễn Văn An"],
            ),
        )
    ):
        path = tmp_path / f"{n}.pdf"
        text = _pdf_text(pdf_via_job(client, url), path)
        for s in strings:
            assert s in text, (url, s)
        _render(path, f"5{4 + n}-nominations-groups-{'danh-sach' if n == 0 else 'quyet-dinh'}")


# --- the legal basis is the dossier's rule set (R-GEN-02), never a fixed decree -----------------------


def test_documents_cite_the_decree_of_the_rule_set_in_force_for_the_dossier(decided):
    dossier, _session, decision = decided
    assert dossier.received_on >= dt.date(2025, 7, 1)
    for text in (docx_text(dossier_to_trinh_docx(dossier)), docx_text(decision_docx(decision))):
        assert "Căn cứ Nghị định số 152/2025/NĐ-CP" in text and "152/2025" in text
        assert "98/2023" not in text
    # the same dossier received before 2025-07-01 falls under the older rule set and cites its decree
    Dossier.objects.filter(pk=dossier.pk).update(received_on=dt.date(2025, 6, 20))
    dossier.refresh_from_db()
    decision.refresh_from_db()
    for text in (docx_text(dossier_to_trinh_docx(dossier)), docx_text(decision_docx(decision))):
        assert "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ" in text
        assert "152/2025" not in text


def test_a_draft_to_trinh_takes_the_rule_set_of_its_date(tree, people, bk_city, monkeypatch):
    """Not received yet: the rule set in force on the tờ trình's date (an administrator's edited citation
    is printed as it is)."""
    from commendations.models import RuleSet

    dossier = services.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2024, title="Hồ sơ cũ"
    )
    assert dossier.received_on is None
    monkeypatch.setattr("documents.nominations_docs.dossier._draft_date", lambda dossier: dt.date(2025, 3, 1))
    text = docx_text(dossier_to_trinh_docx(dossier))
    assert "Nghị định số 98/2023/NĐ-CP" in text and "152/2025" not in text
    RuleSet.objects.filter(code="TLD-2024-ND98").update(document_basis="Văn bản thử nghiệm số 1/2025")
    assert "Căn cứ Văn bản thử nghiệm số 1/2025;" in docx_text(dossier_to_trinh_docx(dossier))


def test_documents_registers_the_decision_numberer():
    """nominations does not import documents: DocumentsConfig.ready registers the register's allocator."""
    from documents.services import decision_number_allocate
    from nominations.numbering import decision_numberer

    assert decision_numberer() is decision_number_allocate
