"""No formula injection in any .xlsx the project produces (issue 12, finding 7).

Units, people and their fields are named like spreadsheet formulas; every export — each view answering
an .xlsx and each background builder producing one — is run, and each file is read twice: with
python-calamine (the cell holds the literal text) and as XML (no `<f>` formula element, no hyperlink).
The lists below are checked against the project: every URL whose route ends in ".xlsx" and every
registered builder must be classified here, and only the listed modules may import the writer
(`core.xlsx`; `core/tests/test_xlsx.py` forbids any other XlsxWriter workbook), so a new export fails
this test until it is covered.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from python_calamine import CalamineWorkbook

from conftest import add_person
from jobs import registry
from jobs.models import BuildJob
from members.models import Membership, Person
from organizations.models import OrgUnit
from reports import dashboard as dash
from reports.services import counters_rebuild

ROOT = Path(__file__).resolve().parents[2]

UNIT = '=HYPERLINK("http://evil","x")'
GROUP = "+1+2"
PERSON = "@SUM(A1)"
JOB_TITLE = "-2+3+cmd|' /C calc'!A0"
EMAIL = "=1+1"

# every view answering an .xlsx (URL name → how this test exercises it)
XLSX_VIEWS = {
    "reports:export": "each dashboard table, on the district and on the CĐCS",
    "reports:award_form": "Biểu số 02/TĐKT",
    "imports:template": "each kind's template (headers, hints, the example row)",
    "members:roster_template": "the old address of the roster template: a 301 to imports:template",
    "imports:error_file": "imports.xlsx.error_workbook: the uploaded sheet written back with each row's outcome",
}
# every background builder producing an .xlsx, and those that do not
XLSX_BUILDERS = {"roster_xlsx", "eligibility_xlsx"}
OTHER_BUILDERS = {"summary_docx", "summary_pdf", "plan_pdf", "dossier_pdf", "minutes_pdf", "decision_pdf"}
# the modules that write .xlsx through core.xlsx (each reached above)
WRITER_MODULES = {
    "reports/exports.py",
    "members/roster/xlsx.py",
    "imports/xlsx.py",
    "commendations/builders.py",
}


@pytest.fixture
def hostile(tree):
    """The CĐCS named like a formula, one of its union groups too, a member named "@SUM(A1)"."""
    for unit, name in ((tree.ubnd, UNIT), (tree.t1, GROUP)):
        unit = OrgUnit.objects.get(pk=unit.pk)
        unit.name = name
        unit.save()
    person = Person.objects.create(family_name="", middle_name="", given_name=PERSON, gender="F", email=EMAIL)
    assert person.full_name == PERSON
    Membership.objects.create(
        person=person, unit=OrgUnit.objects.get(pk=tree.t1.pk), started_on="2020-01-01", job_title=JOB_TITLE
    )
    add_person(OrgUnit.objects.get(pk=tree.t1.pk), "Lê Thị Thường")
    counters_rebuild(year=2024)
    return tree


def assert_literal(content: bytes, expected: list[str], *, where: str) -> list[list]:
    """No formula or hyperlink in any sheet; each expected text is the exact value of a cell (or, for
    texts built around a name, e.g. "Đơn vị báo cáo: …", inside one). Returns the first sheet's rows."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, (where, name, "formula element")
                assert "<hyperlink" not in xml, (where, name, "hyperlink")
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    cells = [
        cell
        for sheet in book.sheet_names
        for row in book.get_sheet_by_name(sheet).to_python()
        for cell in row
        if isinstance(cell, str)
    ]
    for text in expected:
        assert text in cells or any(text in cell for cell in cells), (where, text)
    return book.get_sheet_by_index(0).to_python()


def test_every_xlsx_view_and_builder_is_covered_here():
    routes: dict[str, str] = {}

    def walk(resolver: URLResolver, namespace: str | None, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                walk(pattern, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                routes[f"{namespace}:{pattern.name}" if namespace else pattern.name] = prefix + str(
                    pattern.pattern
                )

    walk(get_resolver(), None, "")
    assert {name for name, route in routes.items() if route.endswith(".xlsx")} == set(XLSX_VIEWS)
    assert set(registry.keys()) == XLSX_BUILDERS | OTHER_BUILDERS
    writers = {
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and path.parts[len(ROOT.parts)] not in {"browser_tests", "bench"}
        and "core.xlsx" in path.read_text(encoding="utf-8")
        and str(path.relative_to(ROOT)) != "core/xlsx.py"
    }
    assert writers == WRITER_MODULES


def test_dashboard_tables_write_unit_names_as_text(officer_client, officer, hostile):
    for unit, title_text, row_names in (
        (hostile.ubnd, UNIT, [GROUP]),  # A1 = the unit's own name, the rows its union groups
        (hostile.md, "Liên đoàn Lao động huyện Mỹ Đức", [UNIT]),  # a child row named like a formula
    ):
        keys = list(dash.build(unit=unit, year=2024, user=officer)["tables"])
        assert "don-vi" in keys and len(keys) >= 3
        for key in keys:
            response = officer_client.get(reverse("reports:export", args=[unit.pk, key]) + "?nam=2024")
            assert response.status_code == 200, key
            rows = assert_literal(response.content, [title_text], where=f"reports:export {key} @ {unit.code}")
            assert rows[0][0] == title_text, key  # A1: the literal name, never a live =HYPERLINK
        rows = assert_literal(
            officer_client.get(reverse("reports:export", args=[unit.pk, "don-vi"]) + "?nam=2024").content,
            row_names,
            where="reports:export don-vi",
        )
        assert set(row_names) <= {r[0] for r in rows[4:]}


def test_award_form_writes_unit_names_as_text(officer_client, hostile):
    response = officer_client.get(reverse("reports:award_form", args=[hostile.ubnd.pk]) + "?nam=2024")
    assert response.status_code == 200
    rows = assert_literal(response.content, [f"Đơn vị báo cáo: {UNIT}"], where="reports:award_form")
    assert rows[0][3] == f"Đơn vị báo cáo: {UNIT}"


def test_the_old_roster_template_address_writes_no_file_of_its_own(client):
    response = client.get(reverse("members:roster_template"))
    assert response.status_code == 301
    assert response["Location"] == reverse("imports:template", args=["doan-vien"])


def test_member_export_job_writes_people_and_groups_as_text(officer_client, hostile):
    started = officer_client.post(reverse("members:roster_export"), {"don_vi": hostile.ubnd.pk})
    assert started.status_code == 302
    job = BuildJob.objects.get(kind="roster_xlsx")
    assert job.status == "DONE", job.error
    response = officer_client.get(reverse("jobs:download", args=[job.pk]))
    rows = assert_literal(
        b"".join(response.streaming_content),
        [UNIT.upper(), PERSON, GROUP, JOB_TITLE, EMAIL],
        where="roster_xlsx",
    )
    row = next(r for r in rows if r[1] == PERSON)
    assert (row[5], row[6], row[11]) == (GROUP, JOB_TITLE, EMAIL)


def test_whole_unit_eligibility_job_writes_people_and_units_as_text(officer_client, hostile):
    started = officer_client.post(
        reverse("jobs:create"), {"kind": "eligibility_xlsx", "unit": hostile.ubnd.pk, "year": 2024}
    )
    assert started.status_code == 302
    job = BuildJob.objects.get(kind="eligibility_xlsx")
    assert job.status == "DONE", job.error
    response = officer_client.get(reverse("jobs:download", args=[job.pk]))
    rows = assert_literal(
        b"".join(response.streaming_content), [UNIT, PERSON, GROUP], where="eligibility_xlsx"
    )
    row = next(r for r in rows if len(r) > 2 and r[1] == PERSON)
    assert row[2] == GROUP


def test_import_templates_and_the_check_file_write_cells_as_text(officer_client, tree, tmp_path):
    """Every kind's template, and the framework's check file of an upload whose cells look like formulas."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports import kinds
    from imports.models import ImportBatch
    from imports.tests.sheets import office_sheet

    for kind in kinds.all_kinds():
        response = officer_client.get(reverse("imports:template", args=[kind.key]))
        assert_literal(response.content, [kind.columns[0].label], where=f"imports:template {kind.key}")
    path = office_sheet(
        tmp_path / "doc-hai.xlsx",
        title="DANH SÁCH KHEN THƯỞNG",
        header=[
            "STT",
            "Họ và tên",
            "Đơn vị công tác",
            "Danh hiệu",
            "Số quyết định",
            "Ngày quyết định",
            "Cấp khen",
        ],
        rows=[[1, PERSON, UNIT, GROUP, JOB_TITLE, "15/01/2024", EMAIL]],
    )
    officer_client.post(
        f"{reverse('imports:upload', args=['khen-thuong'])}?don_vi={tree.md.pk}",
        {"file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    batch = ImportBatch.objects.get()
    data = {"header_row": batch.header_row + 1, "header_rows": batch.header_rows}
    officer_client.post(
        reverse("imports:mapping", args=[batch.pk]), data | {k: str(v) for k, v in batch.mapping.items()}
    )
    response = officer_client.get(reverse("imports:error_file", args=[batch.pk]))
    assert_literal(response.content, [PERSON, UNIT, GROUP, JOB_TITLE, EMAIL], where="imports:error_file")
