"""Giấy khen / Bằng khen printed on pre-printed blanks: layout validation, exact positions in the PDF,
Vietnamese text, demo data, pages rendered to PNG, and the screens' permissions."""

import datetime as dt
import glob
import os
import re
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from conftest import add_person
from core.models import AuditEvent
from documents.certificates import FIELD_KEYS, default_fields, record_page, render_pdf
from documents.models import PAPER_MM, CertificateLayout, PaperSize
from documents.services import (
    LayoutInvalid,
    certificate_fields_validate,
    certificate_layout_create,
    certificate_layout_update,
)
from nominations.models import Decision, Dossier
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
PT_PER_MM = 72 / 25.4


def _require_poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        if os.environ.get("THIDUA_REQUIRE_BROWSER") == "1":
            pytest.fail("poppler-utils (pdftotext, pdftoppm) missing")
        pytest.skip("poppler-utils not installed: apt-get install poppler-utils")


def pdf_text(content: bytes, tmp_path, name="c.pdf") -> str:
    _require_poppler()
    path = tmp_path / name
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(raw.stdout.split())


def word_boxes(content: bytes, tmp_path, name="b.pdf") -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in points from the top-left corner (pdftotext -bbox)."""
    _require_poppler()
    path = tmp_path / name
    path.write_bytes(content)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [
        (word, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
        )
    ]


def render_png(content: bytes, name: str, *, last: int = 3) -> str:
    _require_poppler()
    os.makedirs(ARTIFACTS, exist_ok=True)
    pdf = os.path.join(ARTIFACTS, f"{name}.pdf")
    with open(pdf, "wb") as handle:
        handle.write(content)
    prefix = os.path.join(ARTIFACTS, name)
    subprocess.run(["pdftoppm", "-r", "50", "-l", str(last), "-png", pdf, prefix], check=True)
    pages = sorted(glob.glob(f"{glob.escape(prefix)}-*.png"))  # -1.png, or -01.png from 10 pages on
    assert pages
    return pages[0]


def page_count(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", content))


@pytest.fixture
def award(tree, officer):
    """Bà Nguyễn Thị Hương (Tổ công đoàn Phòng Nội vụ) and the Công đoàn UBND collective, each with a Giấy
    khen of LĐLĐ huyện Mỹ Đức."""
    tree.md.area = "Huyện Mỹ Đức, Hà Nội"
    tree.md.save(update_fields=["area"])
    huong = add_person(tree.t1, "Nguyễn Thị Hương", gender="F")
    huong.memberships.update(job_title="Chuyên viên Phòng Nội vụ")
    gk = AwardType.objects.get(code="GK")
    common = {
        "award_type": gk,
        "year": 2024,
        "decision_number": "15/QĐ-LĐLĐ",
        "decision_date": dt.date(2024, 12, 20),
        "issuing_unit": tree.md,
    }
    person_record = AwardRecord.objects.create(
        person=huong,
        scope_unit=tree.t1,
        achievement_summary="đã có thành tích xuất sắc trong phong trào thi đua năm",
        **common,
    )
    unit_record = AwardRecord.objects.create(
        unit=tree.ubnd, scope_unit=tree.ubnd, achievement_summary="Tập thể xuất sắc", **common
    )
    return person_record, unit_record


def _render_record(record, layout=None, *, trial=False, decision=None) -> bytes:
    from documents.selectors import certificate_layout_for, certificate_records_context

    record = AwardRecord.objects.select_related(
        "person", "unit__unit_type", "scope_unit__unit_type", "issuing_unit__unit_type", "award_type"
    ).get(pk=record.pk)
    layout = layout or certificate_layout_for(issuer=record.issuing_unit, award_type=record.award_type)
    memberships, ancestors = certificate_records_context(records=[record])
    page = record_page(
        record,
        layout=layout,
        decision=decision,
        membership=memberships.get(record.person_id),
        ancestors=ancestors,
    )
    return render_pdf([(layout, page)], trial=trial)


# --- validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", list(PAPER_MM))
def test_default_positions_are_valid_and_inside_the_sheet(paper):
    defaults = default_fields(paper)
    assert set(defaults) == set(FIELD_KEYS)
    assert certificate_fields_validate(fields=defaults, paper=paper) == defaults
    width, height = PAPER_MM[paper]
    for pos in defaults.values():
        assert pos["x"] >= 0 and pos["x"] + pos["w"] <= width and 0 < pos["y"] < height


BAD_FIELDS = [
    ("recipient", "x", "300", "Trường “Họ và tên”: tọa độ X phải từ 0 đến 297 mm."),
    ("achievement", "y", "-1", "Trường “Thành tích”: tọa độ Y phải từ 0 đến 210 mm."),
    ("issuer", "w", "2", "Trường “Cơ quan tặng”: độ rộng phải từ 5 đến 297 mm."),
    ("decision", "size", "100", "Trường “Số, ngày quyết định”: cỡ chữ phải từ 6 đến 72 pt."),
    ("register", "x", "abc", "Trường “Số sổ”: tọa độ X phải là một số."),
    ("place_date", "size", "", "Trường “Địa danh, ngày tháng”: cỡ chữ phải là một số."),
    ("signer_name", "align", "J", "Trường “Họ tên người ký”: căn lề phải là trái, giữa hoặc phải."),
    (
        "unit_line",
        "x",
        "100",
        "Trường “Đơn vị, chức vụ”: vùng in vượt mép phải tờ giấy (X + độ rộng = 337 mm, tối đa 297 mm).",
    ),
    ("presents", "y", "1", "Trường “Chữ “Tặng””: dòng chữ nhô ra ngoài mép trên tờ giấy (tăng tọa độ Y)."),
]


@pytest.mark.parametrize("key,part,value,message", BAD_FIELDS)
def test_each_bad_field_gets_its_vietnamese_error_and_nothing_is_saved(
    tree, officer, key, part, value, message
):
    layout = certificate_layout_create(acting_user=officer, issuer=tree.md, paper=PaperSize.A4_LANDSCAPE)
    saved = dict(layout.fields)
    events = AuditEvent.objects.count()
    fields = default_fields(PaperSize.A4_LANDSCAPE)
    fields["signer_title"]["x"] = 150  # a valid change that must not be saved either
    fields[key][part] = value
    with pytest.raises(LayoutInvalid) as info:
        certificate_layout_update(acting_user=officer, layout=layout, fields=fields, name="Đã đổi tên")
    assert info.value.errors == {key: [message]}
    assert message in info.value.message
    layout.refresh_from_db()
    assert layout.fields == saved and layout.name == "Mẫu in chung"
    assert AuditEvent.objects.count() == events


def test_all_errors_at_once_and_a_decimal_comma(tree, officer):
    layout = certificate_layout_create(acting_user=officer, issuer=tree.md, paper=PaperSize.A4_PORTRAIT)
    fields = default_fields(PaperSize.A4_PORTRAIT)
    fields["recipient"]["x"] = "250"
    fields["achievement"]["y"] = "400"
    with pytest.raises(LayoutInvalid) as info:
        certificate_layout_update(acting_user=officer, layout=layout, fields=fields)
    assert info.value.errors["recipient"][0] == "Trường “Họ và tên”: tọa độ X phải từ 0 đến 210 mm."
    assert info.value.errors["achievement"] == ["Trường “Thành tích”: tọa độ Y phải từ 0 đến 297 mm."]
    fields = default_fields(PaperSize.A4_PORTRAIT)
    fields["recipient"]["y"] = "120,5"
    fields["presents"]["show"] = False
    certificate_layout_update(
        acting_user=officer, layout=layout, fields=fields, signer_name="Khuất Văn Thành"
    )
    layout.refresh_from_db()
    assert layout.fields["recipient"]["y"] == 120.5 and layout.fields["presents"]["show"] is False
    event = AuditEvent.objects.filter(action="certificate_layout.update").get()
    assert event.unit_id == tree.md.pk and event.changes["signer_name"] == ["", "Khuất Văn Thành"]


def test_one_layout_per_unit_and_award_type_and_only_by_its_officers(tree, officer, make_user):
    from django.core.exceptions import PermissionDenied

    certificate_layout_create(acting_user=officer, issuer=tree.md, paper=PaperSize.A4_LANDSCAPE)
    with pytest.raises(LayoutInvalid, match="Đơn vị đã có mẫu in chung của đơn vị"):
        certificate_layout_create(acting_user=officer, issuer=tree.md, paper=PaperSize.A4_LANDSCAPE)
    outsider = make_user(Role.OFFICER, tree.nb)
    with pytest.raises(PermissionDenied):
        certificate_layout_create(acting_user=outsider, issuer=tree.md, paper=PaperSize.A3_LANDSCAPE)


# --- the PDF -------------------------------------------------------------------------------------------


def test_vietnamese_text_is_exact_in_the_pdf(award, tmp_path):
    person_record, unit_record = award
    text = pdf_text(_render_record(person_record), tmp_path)
    for expected in (
        "CHỦ TỊCH LIÊN ĐOÀN LAO ĐỘNG HUYỆN MỸ ĐỨC",
        "Tặng",
        "Bà Nguyễn Thị Hương",
        "Chuyên viên Phòng Nội vụ, Tổ công đoàn Phòng Nội vụ, Công đoàn Ủy ban nhân dân huyện Mỹ Đức",
        "Đã có thành tích xuất sắc trong phong trào thi đua năm 2024",
        "Quyết định số 15/QĐ-LĐLĐ, ngày 20/12/2024",
        "Mỹ Đức, ngày 20 tháng 12 năm 2024",
        "CHỦ TỊCH",
        f"Số sổ: {person_record.pk}",
    ):
        assert expected in text, expected
    assert "GIẤY KHEN" not in text  # pre-printed on the blank: only the trial print draws it
    if shutil.which("pdffonts"):  # every font embedded (subset): the print looks the same on any computer
        path = tmp_path / "fonts.pdf"
        path.write_bytes(_render_record(person_record))
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
        fonts = [line.split() for line in rows.splitlines()[2:]]
        assert fonts and all("LiberationSerif" in f[0] and f[-5] == "yes" for f in fonts), rows
    text = pdf_text(_render_record(unit_record, trial=True), tmp_path)
    for expected in (
        "Công đoàn Ủy ban nhân dân huyện Mỹ Đức",
        "Liên đoàn Lao động huyện Mỹ Đức",
        "Tập thể xuất sắc",
        "Năm 2024",
        "GIẤY KHEN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ):
        assert expected in text, expected


def test_moving_a_field_moves_the_text_by_the_same_millimetres(award, officer, tree, tmp_path):
    person_record, _ = award
    layout = certificate_layout_create(acting_user=officer, issuer=tree.md, paper=PaperSize.A4_LANDSCAPE)

    def hương():
        boxes = word_boxes(_render_record(person_record, layout), tmp_path)
        return next(b for b in boxes if b[0] == "Hương")

    before = hương()
    fields = dict(layout.fields)
    fields["recipient"] = {**fields["recipient"], "x": fields["recipient"]["x"] + 15, "y": 120}
    moved_y = 120 - layout.fields["recipient"]["y"]
    certificate_layout_update(acting_user=officer, layout=layout, fields=fields)
    layout.refresh_from_db()
    after = hương()
    assert after[1] - before[1] == pytest.approx(15 * PT_PER_MM, abs=0.3)
    assert after[2] - before[2] == pytest.approx(moved_y * PT_PER_MM, abs=0.3)
    # left alignment: the first word starts exactly at X
    fields["recipient"] = {**fields["recipient"], "align": "L", "x": 50}
    certificate_layout_update(acting_user=officer, layout=layout, fields=fields)
    layout.refresh_from_db()
    boxes = word_boxes(_render_record(person_record, layout), tmp_path)
    assert next(b for b in boxes if b[0] == "Bà")[1] == pytest.approx(50 * PT_PER_MM, abs=0.6)
    # a hidden field is not printed
    fields["register"] = {**fields["register"], "show": False}
    certificate_layout_update(acting_user=officer, layout=layout, fields=fields)
    layout.refresh_from_db()
    assert "Số sổ" not in pdf_text(_render_record(person_record, layout), tmp_path)


def test_long_achievement_wraps_inside_its_width(award, officer, tree, tmp_path):
    person_record, _ = award
    person_record.achievement_summary = " ".join(["Hoàn thành xuất sắc nhiệm vụ được giao"] * 6)
    person_record.save()
    layout = certificate_layout_create(acting_user=officer, issuer=tree.md, paper=PaperSize.A4_LANDSCAPE)
    pos = layout.fields["achievement"]
    words = [b for b in word_boxes(_render_record(person_record, layout), tmp_path) if b[0] == "Hoàn"]
    assert len({round(b[2]) for b in words}) >= 2  # several lines
    left, right = pos["x"] * PT_PER_MM, (pos["x"] + pos["w"]) * PT_PER_MM
    for box in word_boxes(_render_record(person_record, layout), tmp_path):
        if box[0] in ("Hoàn", "giao"):
            assert left - 0.5 <= box[1] and box[3] <= right + 0.5


# --- demo data, views ----------------------------------------------------------------------------------


@pytest.fixture
def demo(client, db):
    call_command("load_demo", verbosity=0)
    client.force_login(get_user_model().objects.get(username="canbo.myduc"))
    md = OrgUnit.objects.get(code="HN-MD")
    records = list(
        AwardRecord.objects.filter(issuing_unit=md, award_type__code="GK").order_by(
            F("unit_id").asc(nulls_first=True), "id"
        )
    )  # people first (unit_id NULL), then collectives
    assert records, "the demo gives Giấy khen of LĐLĐ huyện Mỹ Đức"
    return client, md, records


def _decision(md, records) -> Decision:
    dossier = Dossier.objects.create(
        proposing_unit=records[0].scope_unit,
        authority=md,
        current_level=md,
        kind="YEARLY",
        year=records[0].year,
        title="Đề nghị tặng Giấy khen năm",
        state="DECIDED",
    )
    decision = Decision.objects.create(
        issuing_unit=md,
        year=records[0].decision_date.year,
        sequence=78,
        symbol="QĐ-LĐLĐ",
        issued_on=records[0].decision_date,
        signer_name="Khuất Văn Thành",
        signer_title="Chủ tịch",
        dossier=dossier,
    )
    decision.award_records.set(records)
    return decision


def test_demo_record_certificate_and_trial_print_render(demo, tmp_path):
    client, md, records = demo
    record = records[0]
    response = client.get(f"/van-ban/khen-thuong/{record.pk}/giay-khen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert record.person.full_name in text
    assert ("Ông " if record.person.gender == "M" else "Bà ") + record.person.full_name in text
    assert "CHỦ TỊCH LIÊN ĐOÀN LAO ĐỘNG HUYỆN MỸ ĐỨC" in text
    assert f"Quyết định số {record.decision_number}" in text
    render_png(response.content, "40-giay-khen")
    trial = client.get(f"/van-ban/khen-thuong/{record.pk}/giay-khen.pdf?thu=1")
    assert "GIẤY KHEN" in pdf_text(trial.content, tmp_path)
    render_png(trial.content, "41-giay-khen-in-thu")


def test_demo_decision_prints_one_page_per_award_record(demo, tmp_path, django_assert_max_num_queries):
    client, md, records = demo
    decision = _decision(md, records)
    with django_assert_max_num_queries(12):  # a fixed number of queries, whatever the number of records
        response = client.get(f"/van-ban/quyet-dinh/{decision.pk}/giay-khen.pdf")
    assert response.status_code == 200
    assert page_count(response.content) == len(records)
    text = pdf_text(response.content, tmp_path)
    assert "Khuất Văn Thành" in text and "CHỦ TỊCH" in text
    for record in records:
        assert (record.person.full_name if record.person_id else record.unit.name) in text
    trial = client.get(f"/van-ban/quyet-dinh/{decision.pk}/giay-khen.pdf?thu=1")
    assert page_count(trial.content) == len(records)
    render_png(trial.content, "42-quyet-dinh-in-thu")


def test_layout_screens_for_the_officer(demo, tmp_path):
    client, md, records = demo
    page = client.get(f"/van-ban/mau-in/?don_vi={md.pk}")
    assert page.status_code == 200 and "Chưa có mẫu in nào" in page.content.decode()
    assert client.get("/van-ban/mau-in/").status_code == 200  # the officer's own unit
    gk = AwardType.objects.get(code="GK")
    response = client.post(
        "/van-ban/mau-in/tao/",
        {"don_vi": md.pk, "danh_hieu": gk.pk, "kho_giay": "A4L", "ten": "Phôi giấy khen 2024"},
    )
    layout = CertificateLayout.objects.get(issuer=md, award_type=gk)
    assert response.status_code == 302 and response["Location"] == f"/van-ban/mau-in/{layout.pk}/"
    edit = client.get(f"/van-ban/mau-in/{layout.pk}/")
    html = edit.content.decode()
    assert edit.status_code == 200 and "Phôi giấy khen 2024" in html and "Họ và tên" in html
    post = {
        "name": "Phôi giấy khen 2024",
        "paper": "A4L",
        "issuer_text": "",
        "signer_title": "",
        "signer_name": "",
    }
    for key, pos in layout.fields.items():
        post.update({f"{key}-{part}": str(pos[part]) for part in ("x", "y", "w", "size", "align")})
        post.update({f"{key}-{part}": "1" for part in ("bold", "italic", "show") if pos[part]})
    bad = {**post, "recipient-x": "400"}
    response = client.post(f"/van-ban/mau-in/{layout.pk}/", bad)
    html = response.content.decode()
    assert response.status_code == 200  # the form again, with the errors
    assert "Trường “Họ và tên”: tọa độ X phải từ 0 đến 297 mm." in html
    assert 'value="400"' in html  # the officer's input is kept
    layout.refresh_from_db()
    assert layout.fields["recipient"]["x"] == 30
    good = {**post, "recipient-y": "100,5", "signer_name": "Khuất Văn Thành"}
    response = client.post(f"/van-ban/mau-in/{layout.pk}/", good)
    assert response.status_code == 302
    layout.refresh_from_db()
    assert layout.fields["recipient"]["y"] == 100.5 and layout.signer_name == "Khuất Văn Thành"
    assert AuditEvent.objects.filter(action="certificate_layout.update", object_id=str(layout.pk)).exists()
    # the record is now printed with the layout of its award type
    boxes = word_boxes(client.get(f"/van-ban/khen-thuong/{records[0].pk}/giay-khen.pdf").content, tmp_path)
    given = records[0].person.full_name.split()[-1]
    assert next(b for b in boxes if b[0] == given)[2] == pytest.approx(100.5 * PT_PER_MM - 22 * 0.75, abs=3)
    trial = client.get(f"/van-ban/mau-in/{layout.pk}/in-thu.pdf")
    assert trial.status_code == 200 and "Nguyễn Thị Hương" in pdf_text(trial.content, tmp_path)
    render_png(trial.content, "43-mau-in-thu")
    assert client.get(f"/van-ban/mau-in/{layout.pk}/in-thu.pdf?thu=0").status_code == 200
    response = client.post(f"/van-ban/mau-in/{layout.pk}/", {**post, "paper": "A3L", "mac_dinh": "1"})
    layout.refresh_from_db()
    assert layout.paper == "A3L" and layout.fields == default_fields("A3L")
    # the award registry links to the certificate
    registry = client.get(f"/khen-thuong/so-khen-thuong/?don_vi={md.pk}").content.decode()
    assert re.search(r'href="/van-ban/khen-thuong/\d+/giay-khen.pdf"[^>]*>In giấy khen<', registry)
    assert f"/van-ban/mau-in/?don_vi={md.pk}" in registry


def test_outsiders_get_404_and_never_data(demo, make_user, client):
    _, md, records = demo
    decision = _decision(md, records)
    layout = certificate_layout_create(
        acting_user=get_user_model().objects.get(username="canbo.myduc"), issuer=md, paper="A4L"
    )
    urls = [
        f"/van-ban/mau-in/?don_vi={md.pk}",
        f"/van-ban/mau-in/{layout.pk}/",
        f"/van-ban/mau-in/{layout.pk}/in-thu.pdf",
        f"/van-ban/quyet-dinh/{decision.pk}/giay-khen.pdf",
        f"/van-ban/khen-thuong/{records[0].pk}/giay-khen.pdf",
    ]
    outsider = make_user(Role.OFFICER, OrgUnit.objects.get(code="NB-YK"))
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/van-ban/mau-in/{layout.pk}/", {"name": "x"}).status_code == 404
    assert client.post("/van-ban/mau-in/tao/", {"don_vi": md.pk, "kho_giay": "A4L"}).status_code == 404
    listing = client.get("/van-ban/mau-in/").content.decode()
    assert layout.name not in listing and "Mỹ Đức" not in listing
    # a leader of the unit (no document rights) and a lower unit's officer: no certificate either
    grassroots_officer = make_user(Role.OFFICER, records[0].scope_unit)
    client.force_login(grassroots_officer)
    assert client.get(f"/van-ban/khen-thuong/{records[0].pk}/giay-khen.pdf").status_code == 404
    member = make_user(Role.MEMBER, md)
    client.force_login(member)
    for url in urls[1:]:  # no printing right anywhere: 403 (core.access.get_visible_or_404)
        assert client.get(url).status_code == 403, url
    assert client.get("/van-ban/mau-in/").status_code == 403
    # a revoked award is never printed
    client.force_login(get_user_model().objects.get(username="canbo.myduc"))
    AwardRecord.objects.filter(pk=records[0].pk).update(status="REVOKED")
    assert client.get(f"/van-ban/khen-thuong/{records[0].pk}/giay-khen.pdf").status_code == 404


def test_sample_page_for_each_paper_size_renders(tree, officer):
    from documents.certificates import sample_page

    for paper in PAPER_MM:
        layout = CertificateLayout(issuer=tree.md, name="x", paper=paper, fields=default_fields(paper))
        page = sample_page(layout, ancestors=orgunit_ancestors(units=[tree.md]), today=dt.date(2025, 1, 16))
        content = render_pdf([(layout, page)], trial=True)
        assert content.startswith(b"%PDF") and page_count(content) == 1
        if shutil.which("pdftoppm"):
            render_png(content, f"44-mau-{paper}")
