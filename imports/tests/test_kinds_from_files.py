"""Every kind end to end through files laid out as offices keep them: the framework's reading (title rows,
two-row merged headers, section rows, totals, signatures) feeding each kind's plan and commit."""

from __future__ import annotations

import json

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from core.text import fold
from imports.models import ImportBatch
from initiatives.models import Initiative
from movements.models import Evaluation
from nominations import services as nomination_services
from nominations.models import NominationItem
from organizations.models import OrgUnit, OrgUnitType

from .sheets import office_sheet

pytestmark = pytest.mark.django_db


def _dry_run(command, unit_code, path, user, capsys, *options):
    capsys.readouterr()  # what earlier commands printed
    call_command(command, unit_code, str(path), "--user", user.username, "--dry-run", "--json", *options)
    return json.loads(capsys.readouterr().out)


def test_a_wide_rating_sheet_with_years_under_a_merged_header(officer, tree, tmp_path, capsys):
    """STT | Họ và tên | Ngày sinh | Tổ | "Kết quả xếp loại" merged over 2023 | 2024 | 2025 — one row a person."""
    path = tmp_path / "xep-loai-2023-2025.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Xếp loại")
    sheet.merge_range(0, 0, 0, 6, "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN 2023 - 2025")
    for col, text in enumerate(["STT", "Họ và tên", "Ngày sinh", "Tổ công đoàn"]):
        sheet.merge_range(2, col, 3, col, text)
    sheet.merge_range(2, 4, 2, 6, "Kết quả xếp loại")
    sheet.write_row(3, 4, ["2023", "2024", "2025"])
    sheet.write_row(4, 0, ["I. Tổ công đoàn Phòng Nội vụ"])
    sheet.write_row(5, 0, [1, "Nguyễn Văn An", "", "", "HTXS", "Hoàn thành xuất sắc nhiệm vụ", "htxs"])
    sheet.write_row(6, 0, ["II. Tổ công đoàn Phòng Tài chính - Kế hoạch"])
    sheet.write_row(7, 0, [2, "Trần Thị Hoa", "", "", "HTT", "Tốt", "Hoàn thành nhiệm vụ"])
    sheet.write_row(8, 0, ["Tổng cộng", "", "", "", 2, 2, 2])
    sheet.write_row(10, 1, ["NGƯỜI LẬP BIỂU", "", "", "", "CHỦ TỊCH"])
    book.close()
    payload = _dry_run("import_ratings", "HN-MD", path, officer, capsys)
    assert payload["header_rows"] == 2
    assert {"rating_2023", "rating_2024", "rating_2025"} <= set(payload["mapping"])
    assert payload["counts"]["error"] == 0, [r for r in payload["rows"] if r["errors"]]
    assert payload["counts"]["new"] == 2 and payload["counts"]["skipped"] >= 4
    call_command("import_ratings", "HN-MD", str(path), "--user", officer.username)
    ratings = dict(Evaluation.objects.filter(person=tree.an).values_list("year", "rating"))
    assert ratings == {2023: "HTXS", 2024: "HTXS", 2025: "HTXS"}
    assert dict(Evaluation.objects.filter(person=tree.hoa).values_list("year", "rating")) == {
        2023: "HTT",
        2024: "HTT",
        2025: "HT",
    }
    # again: nothing changes, nothing doubles
    again = _dry_run("import_ratings", "HN-MD", path, officer, capsys)
    assert again["counts"]["new"] == 0 and Evaluation.objects.count() == 6


def test_recognised_initiatives_with_their_authors(officer, tree, tmp_path, capsys):
    header = [
        "STT",
        "Tên sáng kiến",
        "Năm",
        "Lĩnh vực",
        "Ngày công nhận",
        "Số quyết định",
        "Đơn vị công nhận",
        "Tác giả",
        "Đơn vị công tác của tác giả",
        "Giá trị làm lợi (đồng)",
    ]
    rows = [
        [
            1,
            "Số hoá hồ sơ một cửa",
            2024,
            "Cải cách hành chính",
            "20/11/2024",
            "45/QĐ-LĐLĐ",
            "LĐLĐ huyện Mỹ Đức",
            "Nguyễn Văn An (60%), Trần Thị Hoa (40%)",
            "Công đoàn UBND huyện Mỹ Đức",
            "1,25 tỷ",
        ],
        [
            2,
            "Sổ tay tiết kiệm điện",
            2024,
            "Khác",
            "20/11/2024",
            "45/QĐ-LĐLĐ",
            "LĐLĐ huyện Mỹ Đức",
            "Trần Thị Hoa",
            "Tổ CĐ Phòng Tài chính - Kế hoạch",
            "45.000.000đ",
        ],
    ]
    path = office_sheet(
        tmp_path / "sang-kien-2024.xlsx",
        title="DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN NĂM 2024",
        header=header,
        rows=rows,
    )
    payload = _dry_run("import_initiatives", "HN-MD", path, officer, capsys)
    assert payload["counts"]["error"] == 0, [r for r in payload["rows"] if r["errors"]]
    assert payload["counts"]["new"] == 2
    call_command("import_initiatives", "HN-MD", str(path), "--user", officer.username)
    first = Initiative.objects.get(title="Số hoá hồ sơ một cửa")
    assert first.status == "RECOGNIZED" and first.benefit_vnd == 1_250_000_000
    assert {a.person for a in first.authors.all()} == {tree.an, tree.hoa}
    assert first.source_file == "sang-kien-2024.xlsx"
    assert _dry_run("import_initiatives", "HN-MD", path, officer, capsys)["counts"]["skipped"] >= 2


@pytest.fixture
def schools(tree):
    """386 grassroots unions under the district (one INSERT, paths as treebeard makes them)."""
    md = OrgUnit.objects.get(pk=tree.md.pk)
    cdcs = OrgUnitType.objects.get(code="CDCS")
    units = [
        OrgUnit(
            path=OrgUnit._get_path(md.path, md.depth + 1, md.numchild + 1 + i),
            depth=md.depth + 1,
            numchild=0,
            name=f"Công đoàn Trường Tiểu học số {i + 1}",
            code=f"HN-MD-TH{i + 1:03d}",
            unit_type=cdcs,
            search_text=fold(f"Công đoàn Trường Tiểu học số {i + 1}  HN-MD-TH{i + 1:03d}"),
        )
        for i in range(386)
    ]
    OrgUnit.objects.bulk_create(units)
    OrgUnit.objects.filter(pk=md.pk).update(numchild=md.numchild + 386)
    return units


def nomination_list(tmp_path, count=386):
    header = [
        "STT",
        "Loại",
        "Tên tập thể, cá nhân",
        "Chức vụ",
        "Đơn vị công tác",
        "Danh hiệu thi đua",
        "Phân loại đối tượng",
        "Lĩnh vực",
    ]
    rows = [
        [
            i + 1,
            "Tập thể",
            f"Công đoàn Trường Tiểu học số {i + 1}",
            "",
            "LĐLĐ huyện Mỹ Đức",
            "Tập thể lao động tiên tiến",
            "",
            "Giáo dục",
        ]
        for i in range(count)
    ]
    return office_sheet(
        tmp_path / "de-nghi-ttldtt-2025.xlsx",
        title="DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU TẬP THỂ LAO ĐỘNG TIÊN TIẾN NĂM 2025",
        header=header,
        rows=rows,
        sections={0: "I. TẬP THỂ"},
    )


def test_a_386_row_nomination_list_lands_in_the_dossier_through_the_screens(
    client, make_user, tree, schools, tmp_path
):
    officer = make_user(Role.OFFICER, tree.md)
    client.force_login(officer)
    dossier = nomination_services.dossier_create(
        acting_user=officer, proposing_unit=tree.md, kind="YEARLY", year=2025, title="Đề nghị TTLĐTT năm 2025"
    )
    page = client.get(reverse("nominations:detail", args=[dossier.pk])).content.decode()
    upload_url = f"{reverse('imports:upload', args=['de-nghi'])}?don_vi={tree.md.pk}&amp;dossier={dossier.pk}"
    assert upload_url in page  # "Nhập danh sách từ Excel" on the dossier
    path = nomination_list(tmp_path)
    client.post(
        f"{reverse('imports:upload', args=['de-nghi'])}?don_vi={tree.md.pk}",
        {"file": SimpleUploadedFile(path.name, path.read_bytes()), "dossier": str(dossier.pk)},
    )
    batch = ImportBatch.objects.get()
    assert batch.options == {"dossier": str(dossier.pk)} and batch.status == "UPLOADED"
    data = {"header_row": batch.header_row + 1, "header_rows": batch.header_rows}
    data |= {k: str(v) for k, v in batch.mapping.items()}
    client.post(reverse("imports:mapping", args=[batch.pk]), data)
    batch.refresh_from_db()
    assert batch.counts["new"] == 386 and batch.counts["error"] == 0, batch.counts
    client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "DONE", batch.message
    items = NominationItem.objects.filter(dossier=dossier)
    assert items.count() == 386
    assert all(i.verdict and "eligible" in i.verdict for i in items)
    done = client.get(reverse("imports:status", args=[batch.pk])).content.decode()
    assert reverse("nominations:detail", args=[dossier.pk]) in done  # "Về hồ sơ đề nghị"


def test_the_nomination_kind_is_started_from_its_dossier(officer_client, tree):
    response = officer_client.get(f"{reverse('imports:upload', args=['de-nghi'])}?don_vi={tree.md.pk}")
    assert response.status_code == 302
    index = officer_client.get(response["Location"]).content.decode()
    assert "Mở hồ sơ đề nghị khen thưởng đang soạn" in index
