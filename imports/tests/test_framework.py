"""The import framework through its screens, its command and its files: one past-awards list laid out as
an office keeps it goes upload → sheet and columns → preview of every row → background commit → done;
noise rows skipped with their reason; the unit's mapping remembered; nothing written on an error; every
page scoped; the same classification printed by `import_awards --dry-run --json`."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.roles import Role
from commendations.models import AwardRecord
from imports import kinds
from imports.models import ImportBatch, SavedMapping

from .sheets import SOFFICE, converted, office_sheet

pytestmark = pytest.mark.django_db

HEADER = [
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


def awards_file(tmp_path, *, rows=None, name="khen-thuong-2023.xlsx", **layout):
    rows = rows or [
        [
            1,
            "Nguyễn Văn An",
            1985,
            "Tổ CĐ Phòng Nội vụ",
            "CSTĐCS",
            "125/QĐ-LĐLĐ",
            "15/01/2024",
            "LĐLĐ huyện Mỹ Đức",
            2023,
        ],
        [
            2,
            "Trần Thị Hoa",
            None,
            "Tổ công đoàn Phòng Tài chính - Kế hoạch",
            "LĐTT",
            "125/QĐ-LĐLĐ",
            "15/01/2024",
            "LĐLĐ huyện Mỹ Đức",
            2023,
        ],
        [3],
    ]
    return office_sheet(
        tmp_path / name,
        title="DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2023",
        subtitle="(Kèm theo Quyết định số 125/QĐ-LĐLĐ ngày 15/01/2024)",
        header=HEADER,
        rows=rows,
        sections={0: "I. Cá nhân"},
        **layout,
    )


def _upload(client, unit, path):
    return client.post(
        f"{reverse('imports:upload', args=['khen-thuong'])}?don_vi={unit.pk}",
        {"file": SimpleUploadedFile(path.name, path.read_bytes())},
    )


def _mapping_post(batch, **extra):
    data = {"header_row": batch.header_row + 1, "header_rows": batch.header_rows}
    data |= {key: str(index) for key, index in batch.mapping.items()}
    return data | extra


def test_an_office_list_goes_through_the_screens_into_the_registry(officer_client, tree, tmp_path):
    response = _upload(officer_client, tree.md, awards_file(tmp_path))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:status", args=[batch.pk])
    # the worker read it at once (immediate task backend): the status page sends the officer to the columns
    assert batch.status == "UPLOADED" and batch.sheet == "Danh sách"
    assert batch.header_row == 4 and batch.header_rows == 1  # title rows and the empty row above it
    assert officer_client.get(response["Location"])["Location"] == reverse("imports:mapping", args=[batch.pk])
    page = officer_client.get(reverse("imports:mapping", args=[batch.pk]))
    assert page.status_code == 200
    assert "Mỗi thông tin lấy từ cột nào?" in page.content.decode()
    assert set(batch.mapping) >= {
        "name",
        "birth_year",
        "unit_text",
        "award",
        "decision_number",
        "issuer",
        "year",
    }

    response = officer_client.post(reverse("imports:mapping", args=[batch.pk]), _mapping_post(batch))
    assert response["Location"] == reverse("imports:preview", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == "CHECKED"
    assert batch.counts == {"new": 2, "update": 0, "duplicate": 0, "skipped": 6, "error": 0}
    preview = officer_client.get(
        reverse("imports:preview", args=[batch.pk]) + "?loai=skipped"
    ).content.decode()
    for reason in (
        "Dòng đánh số cột.",
        "Dòng mục “Cá nhân”.",
        "Chỉ có số thứ tự.",
        "Dòng tổng cộng.",
        "Phần ký tên cuối bảng.",
    ):
        assert reason in preview, reason
    assert "NGƯỜI LẬP BIỂU" not in preview  # never taken for a person
    new = officer_client.get(reverse("imports:preview", args=[batch.pk]) + "?loai=new").content.decode()
    assert "Nguyễn Văn An (1985)" in new and "Ghi vào hệ thống" in new

    response = officer_client.post(reverse("imports:commit", args=[batch.pk]))
    assert response["Location"] == reverse("imports:status", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == "DONE", batch.message
    assert "Đã ghi 2 khen thưởng" in officer_client.get(response["Location"]).content.decode()
    records = AwardRecord.objects.order_by("person__given_name")
    assert [(r.person, r.award_type.code, r.year) for r in records] == [
        (tree.an, "CSTDCS", 2023),
        (tree.hoa, "LDTT", 2023),
    ]
    assert {r.source_file for r in records} == {"khen-thuong-2023.xlsx"}
    assert {r.source_import_id for r in records} == {batch.pk}
    assert not batch.file and not batch.rows_file  # the upload (personal data) is gone once written


def test_reimporting_the_same_file_creates_nothing_twice(officer_client, tree, tmp_path):
    path = awards_file(tmp_path)
    for _ in range(2):
        _upload(officer_client, tree.md, path)
        batch = ImportBatch.objects.latest("pk")
        officer_client.post(reverse("imports:mapping", args=[batch.pk]), _mapping_post(batch))
        officer_client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "DONE"
    assert AwardRecord.objects.count() == 2
    assert batch.result["created"] == 0 and batch.result["skipped"] == 2


def test_the_units_mapping_is_kept_for_its_next_file(officer_client, tree, tmp_path):
    path = awards_file(tmp_path)
    _upload(officer_client, tree.md, path)
    batch = ImportBatch.objects.get()
    changed = _mapping_post(batch, summary=str(batch.mapping["award"]))  # the officer's own choice
    changed["award"] = str(batch.mapping["award"])
    changed.pop("summary")
    changed["year"] = ""  # the officer leaves "Năm" out: the decision date's year is taken
    officer_client.post(reverse("imports:mapping", args=[batch.pk]), changed)
    saved = SavedMapping.objects.get(unit=tree.md, kind="khen-thuong")
    assert "year" not in saved.mapping
    _upload(officer_client, tree.md, path)
    second = ImportBatch.objects.latest("pk")
    assert second.mapping == saved.mapping


def test_an_error_row_blocks_the_commit_and_names_row_and_column(officer_client, tree, tmp_path):
    rows = [
        [
            1,
            "Nguyễn Văn An",
            1985,
            "Tổ CĐ Phòng Nội vụ",
            "CSTĐCS",
            "125/QĐ-LĐLĐ",
            "15/01/2024",
            "LĐLĐ huyện Mỹ Đức",
            2023,
        ],
        [
            2,
            "Trần Thị Hoa",
            None,
            "",
            "Huân chương gì đó",
            "125/QĐ-LĐLĐ",
            "32/13/2024",
            "LĐLĐ huyện Mỹ Đức",
            2023,
        ],
    ]
    _upload(officer_client, tree.md, awards_file(tmp_path, rows=rows))
    batch = ImportBatch.objects.get()
    officer_client.post(reverse("imports:mapping", args=[batch.pk]), _mapping_post(batch))
    batch.refresh_from_db()
    assert batch.status == "INVALID" and batch.counts["error"] == 1
    page = officer_client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "Ngày quyết định" in page and "32/13/2024" in page
    assert "Ghi vào hệ thống" not in page
    assert officer_client.post(reverse("imports:commit", args=[batch.pk])).status_code == 302
    assert AwardRecord.objects.count() == 0
    # the error file: the sheet back with each row's outcome beside it
    data = officer_client.get(reverse("imports:error_file", args=[batch.pk])).content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header = sheet[batch.header_row]
    assert header[-2:] == ["Kết quả kiểm tra", "Lỗi, lý do"]
    by_name = {row[1]: row for row in sheet if len(row) > 2}
    assert by_name["Trần Thị Hoa"][-2] == "Lỗi" and "32/13/2024" in by_name["Trần Thị Hoa"][-1]
    assert by_name["Nguyễn Văn An"][-2] == "Thêm mới"


def test_a_hidden_first_sheet_is_not_read_and_other_sheets_can_be_chosen(officer_client, tree, tmp_path):
    _upload(officer_client, tree.md, awards_file(tmp_path, hidden_first_sheet=True))
    batch = ImportBatch.objects.get()
    assert batch.sheet == "Danh sách"
    assert {s["name"]: s["visible"] for s in batch.sheets} == {"Cũ": False, "Danh sách": True}
    response = officer_client.post(reverse("imports:mapping", args=[batch.pk]), {"sheet": "Cũ"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.sheet == "Danh sách"  # a hidden sheet is not offered, and not read when asked for


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed: no .xls/.ods to test")
@pytest.mark.parametrize("extension", ["xls", "ods"])
def test_the_same_list_saved_by_libreoffice_reads_the_same(officer_client, tree, tmp_path, extension):
    path = converted(awards_file(tmp_path), extension)
    _upload(officer_client, tree.md, path)
    batch = ImportBatch.objects.get()
    assert batch.status == "UPLOADED", batch.message
    officer_client.post(reverse("imports:mapping", args=[batch.pk]), _mapping_post(batch))
    batch.refresh_from_db()
    assert batch.counts["new"] == 2 and batch.counts["error"] == 0, batch.counts


def test_the_template_of_each_kind_names_its_columns(officer_client):
    for kind in kinds.all_kinds():
        response = officer_client.get(reverse("imports:template", args=[kind.key]))
        assert response.status_code == 200, kind.key
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        labels = [c.label + (" (*)" if c.required else "") for c in kind.columns]
        assert sheet[0][: len(labels)] == labels


def test_scoping_another_branch_sees_nothing_and_a_member_may_not_upload(
    client, make_user, officer_client, tree, tmp_path
):
    _upload(officer_client, tree.md, awards_file(tmp_path))
    batch = ImportBatch.objects.get()
    other = make_user(Role.OFFICER, tree.hbt)
    client.force_login(other)
    for name in ("imports:status", "imports:mapping", "imports:preview", "imports:error_file"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404, name
    assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 404
    assert (
        client.get(f"{reverse('imports:upload', args=['khen-thuong'])}?don_vi={tree.md.pk}").status_code
        == 404
    )
    assert client.get(f"{reverse('imports:index')}?don_vi={tree.md.pk}").status_code == 404
    member = make_user(Role.MEMBER, tree.t1)
    client.force_login(member)
    assert (
        client.get(f"{reverse('imports:upload', args=['khen-thuong'])}?don_vi={tree.t1.pk}").status_code
        == 403
    )
    # without the action anywhere: 403 (as every page of a kind one may not import)
    assert client.get(reverse("imports:status", args=[batch.pk])).status_code == 403


def test_the_unit_page_leads_to_the_imports(officer_client, tree):
    page = officer_client.get(reverse("organizations:detail", args=[tree.md.pk])).content.decode()
    url = f"{reverse('imports:index')}?don_vi={tree.md.pk}"
    assert url in page
    index = officer_client.get(url).content.decode()
    assert "Khen thưởng các năm trước" in index
    assert reverse("imports:upload", args=["khen-thuong"]) in index


def test_the_command_prints_the_same_classification_as_json(officer, tree, tmp_path, capsys):
    path = awards_file(tmp_path)
    call_command("import_awards", "HN-MD", str(path), "--user", officer.username, "--dry-run", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["kind"] == "khen-thuong" and payload["header_row"] == 5
    assert payload["counts"]["new"] == 2 and payload["counts"]["skipped"] == 6
    first = next(r for r in payload["rows"] if r["outcome"] == "new")
    assert first["values"]["name"] == "Nguyễn Văn An" and first["values"]["birth_year"] == 1985
    assert any(r["reason"] == "Dòng tổng cộng." for r in payload["rows"])
    assert AwardRecord.objects.count() == 0  # a dry run writes nothing
    call_command("import_awards", "HN-MD", str(path), "--user", officer.username)
    assert AwardRecord.objects.count() == 2


def test_the_command_refuses_a_file_with_errors_and_writes_nothing(officer, tree, tmp_path):
    rows = [
        [
            1,
            "Người Không Có",
            1990,
            "Tổ CĐ Phòng Nội vụ",
            "CSTĐCS",
            "1/QĐ",
            "15/01/2024",
            "LĐLĐ huyện Mỹ Đức",
            2023,
        ]
    ]
    with pytest.raises(CommandError, match="chưa ghi dòng nào"):
        call_command(
            "import_awards", "HN-MD", str(awards_file(tmp_path, rows=rows)), "--user", officer.username
        )
    assert AwardRecord.objects.count() == 0


def test_dates_years_and_ids_are_read_as_typed(officer, tree, tmp_path, capsys):
    """A date column with day-first evidence, a year typed as a number and a real date cell."""
    rows = [
        [
            1,
            "Nguyễn Văn An",
            1985,
            "Tổ CĐ Phòng Nội vụ",
            "CSTĐCS",
            "125/QĐ-LĐLĐ",
            dt.date(2024, 1, 15),
            "LĐLĐ huyện Mỹ Đức",
            2023,
        ],
        [2, "Trần Thị Hoa", None, "", "LĐTT", "126/QĐ-LĐLĐ", "20/01/2024", "LĐLĐ huyện Mỹ Đức", 2023],
        [3, "Nguyễn Văn An", 1985, "", "GK", "127/QĐ-LĐLĐ", "08/02/2024", "LĐLĐ huyện Mỹ Đức", 2023],
    ]
    call_command(
        "import_awards",
        "HN-MD",
        str(awards_file(tmp_path, rows=rows)),
        "--user",
        officer.username,
        "--dry-run",
        "--json",
    )
    payload = json.loads(capsys.readouterr().out)
    dates = [r["values"]["decision_date"] for r in payload["rows"] if r["outcome"] == "new"]
    assert dates == ["2024-01-15", "2024-01-20", "2024-02-08"]  # 08/02 read day-first like the column


def test_the_command_refuses_a_user_without_the_right_on_the_unit(make_user, tree, tmp_path):
    other = make_user(Role.OFFICER, tree.hbt)
    with pytest.raises(CommandError, match="không có quyền nhập"):
        call_command(
            "import_awards", "HN-MD", str(awards_file(tmp_path)), "--user", other.username, "--dry-run"
        )
    with pytest.raises(CommandError, match="không có quyền nhập"):
        call_command("import_members", "HN-MD-UBND", str(awards_file(tmp_path)), "--user", other.username)
