"""Issue 14, acceptance 4: a 386-row nomination list (the layout officials send: title rows, STT, a
"(1) (2) …" row, a section row, a totals row and the signature block) goes into a draft dossier through the
screens — the dossier's "Nhập danh sách từ Excel", upload, columns, the preview of every row, "Ghi vào hệ
thống" — at phone and desktop widths."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from commendations.reference import ensure_catalogue, ensure_rulesets
from conftest import build_tree
from core.text import fold
from imports.tests.test_kinds_from_files import nomination_list
from nominations import services
from nominations.models import NominationItem
from organizations.models import OrgUnit, OrgUnitType

from .test_foundation import DEMO_PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _schools(md, count=386):
    md = OrgUnit.objects.get(pk=md.pk)
    cdcs = OrgUnitType.objects.get(code="CDCS")
    OrgUnit.objects.bulk_create(
        OrgUnit(
            path=OrgUnit._get_path(md.path, md.depth + 1, md.numchild + 1 + i),
            depth=md.depth + 1,
            numchild=0,
            name=f"Công đoàn Trường Tiểu học số {i + 1}",
            code=f"HN-MD-TH{i + 1:03d}",
            unit_type=cdcs,
            search_text=fold(f"Công đoàn Trường Tiểu học số {i + 1}  HN-MD-TH{i + 1:03d}"),
        )
        for i in range(count)
    )
    OrgUnit.objects.filter(pk=md.pk).update(numchild=md.numchild + count)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_386_row_nomination_list_from_upload_to_the_dossier(
    page, live_server, shot, console_errors, tmp_path, width
):
    tree = build_tree()
    ensure_catalogue()  # the award catalogue (a transactional test starts from an emptied database)
    ensure_rulesets()
    _schools(tree.md)
    officer = User.objects.create_user(username="canbo.md", password=DEMO_PASSWORD, full_name="Cán bộ Mỹ Đức")
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER, unit=tree.md, valid_from="2020-01-01")
    dossier = services.dossier_create(
        acting_user=officer, proposing_unit=tree.md, kind="YEARLY", year=2025, title="Đề nghị TTLĐTT năm 2025"
    )
    path = nomination_list(tmp_path)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "canbo.md")
    page.goto(f"{live_server.url}/de-nghi/{dossier.pk}/")
    page.get_by_role("link", name="Nhập danh sách từ Excel").click()
    expect(page.get_by_role("heading", name=re.compile("Danh sách đề nghị khen thưởng"))).to_be_visible()
    page.get_by_label("Tệp (.xlsx, .xls, .ods)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()
    expect(page.get_by_role("heading", name=re.compile("Ghép cột"))).to_be_visible()
    shot(page, "40-import-mapping", width=width)
    page.get_by_role("button", name="Kiểm tra dữ liệu").click()
    expect(page.get_by_role("heading", name="Xem trước trước khi ghi")).to_be_visible()
    expect(page.get_by_test_id("loc-new")).to_contain_text("386")
    page.get_by_test_id("loc-skipped").click()
    expect(page.get_by_text("Dòng tổng cộng.")).to_be_visible()
    expect(page.get_by_text("Phần ký tên cuối bảng.", exact=True)).to_be_visible()
    shot(page, "41-import-preview-skipped", width=width)
    page.get_by_test_id("loc-new").click()
    expect(page.get_by_text("Công đoàn Trường Tiểu học số 1 — Tập thể lao động tiên tiến")).to_be_visible()
    shot(page, "42-import-preview-new", width=width)
    page.get_by_role("button", name="Ghi vào hệ thống").click()
    expect(page.get_by_test_id("ket-qua")).to_contain_text("386")
    shot(page, "43-import-done", width=width)
    page.get_by_role("link", name="Về hồ sơ đề nghị").click()
    expect(page.get_by_role("heading", name=re.compile("Đề nghị TTLĐTT năm 2025"))).to_be_visible()
    assert NominationItem.objects.filter(dossier=dossier).count() == 386
    shot(page, "44-dossier-after-import", width=width)
    assert console_errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_past_awards_from_the_home_page_by_clicking(page, live_server, shot, console_errors, tmp_path, width):
    """The district officer, from the home page: the unit page's "Nhập dữ liệu từ tệp", the kinds of the
    unit, "Khen thưởng các năm trước", upload, columns, preview, write — then the registry shows them."""
    from django.core.management import call_command

    from commendations.models import AwardRecord
    from imports.tests.sheets import office_sheet
    from members.models import Membership

    call_command("load_demo", verbosity=0)
    md = OrgUnit.objects.get(code="HN-MD")
    from collections import Counter

    from commendations.models import AwardRecord as Record

    everyone = list(
        Membership.objects.filter(ended_on__isnull=True, unit__path__startswith=md.path)
        .exclude(person__birth_date=None)
        .select_related("person", "unit")
        .order_by("person_id")
    )
    names = Counter(m.person.full_name for m in everyone)
    awarded = set(Record.objects.filter(year=2022).values_list("person_id", flat=True))
    members = [m for m in everyone if names[m.person.full_name] == 1 and m.person_id not in awarded][:3]
    header = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Đơn vị công tác",
        "Danh hiệu",
        "Số quyết định",
        "Ngày quyết định",
        "Cấp khen",
        "Năm",
    ]
    rows = [
        [
            i + 1,
            m.person.full_name,
            m.person.birth_date.year,
            m.unit.name,
            "LĐTT",
            "88/QĐ-LĐLĐ",
            "20/12/2022",
            "LĐLĐ huyện Mỹ Đức",
            2022,
        ]
        for i, m in enumerate(members)
    ]
    path = office_sheet(
        tmp_path / "khen-thuong-2022.xlsx", title="DANH SÁCH KHEN THƯỞNG NĂM 2022", header=header, rows=rows
    )
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/")  # the home page, then only clicks
    page.get_by_role(
        "link", name=re.compile("LĐLĐ huyện Mỹ Đức|Liên đoàn Lao động huyện Mỹ Đức")
    ).first.click()
    page.get_by_role("link", name="Nhập dữ liệu từ tệp").click()
    expect(page.get_by_role("heading", name="Nhập dữ liệu từ tệp")).to_be_visible()
    shot(page, "45-import-index", width=width)
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="Khen thưởng các năm trước"))
    card.get_by_role("link", name="Tải tệp lên").click()
    page.get_by_label("Tệp (.xlsx, .xls, .ods)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()
    page.get_by_role("button", name="Kiểm tra dữ liệu").click()
    expect(page.get_by_test_id("loc-new")).to_contain_text("3")
    page.get_by_role("button", name="Ghi vào hệ thống").click()
    expect(page.get_by_test_id("ket-qua")).to_contain_text("Đã ghi 3 khen thưởng")
    page.get_by_role("link", name="Xem sổ khen thưởng").click()
    page.get_by_label("Tìm theo tên hoặc số quyết định").fill("88/QĐ-LĐLĐ")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("Nhập từ tệp khen-thuong-2022.xlsx")).to_have_count(3)
    shot(page, "46-registry-after-import", width=width)
    assert AwardRecord.objects.filter(source_file="khen-thuong-2022.xlsx").count() == 3
    assert console_errors == []
