"""Document numbers (never reused) and the movement launch plan in the ND30 layout (.docx and .pdf)."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, transaction
from docx import Document

from documents.models import DocumentKind, DocumentNumber
from documents.numbering import nd30_date, place_name
from documents.pdf import docx_to_pdf, soffice_path
from documents.plans import movement_plan_docx
from documents.services import number_allocate
from jobs.models import BuildJob
from movements.models import Movement
from organizations.models import OrgUnit

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


def test_numbers_follow_each_other_per_issuer_and_year_and_are_never_reused(tree, officer):
    def allocate(unit, day, title="Kế hoạch", subject=None):
        return number_allocate(
            acting_user=officer,
            issuer=unit,
            kind=DocumentKind.KE_HOACH,
            title=title,
            issued_on=day,
            subject=subject,
        )

    a = allocate(tree.md, dt.date(2024, 2, 1))
    b = allocate(tree.md, dt.date(2024, 3, 1))
    other = allocate(tree.hbt, dt.date(2024, 3, 1))
    next_year = allocate(tree.md, dt.date(2025, 1, 5))
    assert (a.sequence, b.sequence, other.sequence, next_year.sequence) == (1, 2, 1, 1)
    assert a.notation == "01/KH-LĐLĐ"
    with pytest.raises(PermissionError):
        b.delete()
    assert allocate(tree.md, dt.date(2024, 5, 1)).sequence == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.create(
            issuer=tree.md,
            year=2024,
            sequence=2,
            kind="KH",
            issuer_code="LĐLĐ",
            title="x",
            issued_on=dt.date(2024, 1, 1),
        )
    movement = Movement.objects.create(
        organiser=tree.md,
        name="Phong trào thi đua năm 2024",
        kind="YEARLY",
        year=2024,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        status="LAUNCHED",
    )
    first = allocate(tree.md, dt.date(2024, 6, 1), subject=movement)
    assert allocate(tree.md, dt.date(2024, 6, 2), subject=movement).pk == first.pk  # one number per plan


def test_nd30_date_and_place():
    assert nd30_date(dt.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert nd30_date(dt.date(2024, 12, 20)) == "ngày 20 tháng 12 năm 2024"
    assert nd30_date(dt.date(2024, 3, 9)) == "ngày 09 tháng 3 năm 2024"


@pytest.fixture
def demo_plan(client, db):
    call_command("load_demo", verbosity=0)
    client.force_login(get_user_model().objects.get(username="canbo.myduc"))
    movement = Movement.objects.get(organiser__code="HN-MD", kind="YEARLY", year=2024)
    return client, movement


def test_plan_docx_has_the_nd30_layout(demo_plan):
    client, movement = demo_plan
    assert place_name(movement.organiser) == "Mỹ Đức"
    assert client.post(f"/van-ban/phong-trao/{movement.pk}/cap-so/").status_code == 302
    number = DocumentNumber.objects.get(issuer=movement.organiser)
    page = client.get(f"/van-ban/phong-trao/{movement.pk}/ke-hoach/")
    assert number.notation in page.content.decode()
    response = client.get(f"/van-ban/phong-trao/{movement.pk}/ke-hoach.docx?nguoi_ky=Khuất Văn Thành")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    margins = [
        round(m.mm)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [20, 20, 30, 15]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    header = doc.tables[0]
    left = [p for p in header.rows[0].cells[0].paragraphs if p.text]
    right = [p for p in header.rows[0].cells[1].paragraphs if p.text]
    assert left[0].text == "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI"
    assert left[1].text == "LĐLĐ HUYỆN MỸ ĐỨC" and left[1].runs[0].bold
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].underline
    assert header.rows[1].cells[0].text == f"Số: {number.notation}" == "Số: 01/KH-LĐLĐ"
    date_line = header.rows[1].cells[1].paragraphs[0]
    assert date_line.text == "Mỹ Đức, ngày 20 tháng 02 năm 2024" and date_line.runs[0].italic
    assert all(r.font.name == "Times New Roman" for p in doc.paragraphs for r in p.runs)
    texts = [p.text for p in doc.paragraphs]
    assert "KẾ HOẠCH" in texts
    assert "Phát động phong trào thi đua “Lao động giỏi, Lao động sáng tạo” năm 2024" in texts
    targets = doc.tables[1]
    assert targets.rows[0].cells[1].text == "Chỉ tiêu"
    assert targets.rows[1].cells[1].text == "Tỷ lệ đoàn viên đăng ký thi đua"
    closing = doc.tables[-1].rows[0]
    assert closing.cells[0].paragraphs[0].text == "Nơi nhận:"
    assert "LĐLĐ thành phố Hà Nội (để báo cáo);" in closing.cells[0].text
    assert "TM. BAN THƯỜNG VỤ" in closing.cells[1].text and "Khuất Văn Thành" in closing.cells[1].text
    # the legal basis of the rule set in force on the plan's date (2024: Nghị định 98/2023)
    basis = next(t for t in texts if t.startswith("Căn cứ"))
    assert basis.startswith(
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022; căn cứ Nghị định số 98/2023/NĐ-CP"
    )
    assert "; căn cứ chương trình công tác năm 2024" in basis and "152/2025" not in basis


def test_plan_cites_the_decree_of_its_date(demo_plan):
    _client, movement = demo_plan
    movement.launched_on = dt.date(2025, 8, 1)
    text = "\n".join(p.text for p in Document(io.BytesIO(movement_plan_docx(movement))).paragraphs)
    assert "căn cứ Nghị định số 152/2025/NĐ-CP" in text and "98/2023" not in text
    movement.launched_on = dt.date(2023, 3, 1)  # before every rule set: the work programme only
    text = "\n".join(p.text for p in Document(io.BytesIO(movement_plan_docx(movement))).paragraphs)
    assert "Căn cứ chương trình công tác năm 2024" in text and "Nghị định" not in text


def test_plan_is_404_outside_the_officers_scope(demo_plan, make_user):
    client, movement = demo_plan
    other = Movement.objects.create(
        organiser=OrgUnit.objects.get(code="NB-YK"),
        name="Thi đua Yên Khánh",
        kind="YEARLY",
        year=2024,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        status="LAUNCHED",
    )
    assert client.get(f"/van-ban/phong-trao/{other.pk}/ke-hoach.docx").status_code == 404
    assert client.post(f"/van-ban/phong-trao/{other.pk}/cap-so/").status_code == 404


def _require_soffice():
    if soffice_path() is None:
        if os.environ.get("THIDUA_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "THIDUA_REQUIRE_BROWSER=1 but LibreOffice (soffice) is missing: apt-get install libreoffice-writer-nogui"
            )
        pytest.skip(
            "LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui fonts-liberation2"
        )


def test_plan_pdf_keeps_vietnamese_text_and_renders_pages(demo_plan, tmp_path):
    _require_soffice()
    client, movement = demo_plan
    client.post(f"/van-ban/phong-trao/{movement.pk}/cap-so/")
    # a background job: the POST (with the signature lines of the form) redirects to the job page
    started = client.post(f"/van-ban/phong-trao/{movement.pk}/ke-hoach/tao-pdf/", {"nguoi_ky": "Lê Văn Ký"})
    assert started.status_code == 302 and started["Location"].startswith("/tep/")
    job = BuildJob.objects.get(pk=int(started["Location"].strip("/").rsplit("/", 1)[-1]))
    assert (job.kind, job.status, job.subject_id, job.unit_id) == (
        "plan_pdf",
        "DONE",
        movement.pk,
        movement.organiser_id,
    )
    assert "Tải về" in client.get(started["Location"]).content.decode()
    response = client.get(started["Location"] + "tai-ve/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(content)
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        if os.environ.get("THIDUA_REQUIRE_BROWSER") == "1":
            pytest.fail("poppler-utils (pdftotext, pdftoppm) missing")
        pytest.skip("poppler-utils not installed: apt-get install poppler-utils")
    raw = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(raw.split())  # a long name may wrap inside its column (ND30 allows two lines)
    for expected in (
        "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
        "LĐLĐ HUYỆN MỸ ĐỨC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/KH-LĐLĐ",
        "Mỹ Đức, ngày 20 tháng 02 năm 2024",
        "KẾ HOẠCH",
        "Tỷ lệ đoàn viên đăng ký thi đua",
        "Nơi nhận:",
        "TM. BAN THƯỜNG VỤ",
        "Lê Văn Ký",
    ):
        assert expected in text, expected
    os.makedirs(ARTIFACTS, exist_ok=True)
    prefix = os.path.join(ARTIFACTS, "30-ke-hoach")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), prefix], check=True)
    assert os.path.exists(f"{prefix}-1.png")


def test_docx_to_pdf_direct(tree):
    _require_soffice()
    from documents.nd30 import Nd30Document

    doc = Nd30Document(
        governing_body="Liên đoàn Lao động thành phố Hà Nội",
        issuer="LĐLĐ huyện Mỹ Đức",
        number="Số: 01/BC-LĐLĐ",
        place_date="Mỹ Đức, ngày 05 tháng 02 năm 2024",
        kind="Báo cáo",
        summary="Thử chuyển đổi",
    )
    assert docx_to_pdf(doc.to_bytes()).startswith(b"%PDF")
