"""The case-file checker: the pure CLI function, `python -m commendations.engine.cli`, and the management
command (the latter only when Django is configured)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from commendations.engine.cases import CaseError, run_case
from commendations.engine.cli import EXIT_INVALID, EXIT_MISMATCH, EXIT_OK, run

DATA = Path(__file__).parent / "data"
SHARED = DATA / "eligibility-cases.json"
RULES_MD = DATA / "cases-rules-md.json"
REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(path: Path, *, check: bool) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(path=path, check=check, out=out, err=err)
    return code, out.getvalue().splitlines(), err.getvalue()


def _case_ids(path: Path) -> list[str]:
    return [c["id"] for c in json.loads(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", [SHARED, RULES_MD], ids=["shared", "rules-md"])
def test_check_passes_with_one_json_line_per_case(path):
    code, lines, err = _run(path, check=True)
    assert code == EXIT_OK, err
    assert [json.loads(line)["id"] for line in lines] == _case_ids(path)
    assert "0 không khớp" in err


def test_module_cli_in_a_subprocess(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "commendations.engine.cli", str(SHARED), "--check"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(_case_ids(SHARED))
    outputs = [json.loads(line) for line in lines]
    assert all(o["rule_set"] for o in outputs)
    assert "Đủ điều kiện" in result.stdout  # ensure_ascii=False: Vietnamese printed as such


def _write(tmp_path: Path, cases: list) -> Path:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return path


def test_mismatch_exits_1_and_names_the_case(tmp_path):
    cases = json.loads(SHARED.read_text(encoding="utf-8"))
    cases[0]["expect"] = {"eligible": False, "rules": ["R-LDTT-01"]}
    code, lines, err = _run(_write(tmp_path, cases), check=True)
    assert code == EXIT_MISMATCH
    assert len(lines) == len(cases)
    assert f"KHÔNG KHỚP «{cases[0]['id']}»" in err
    # without --check the same file is fine
    assert _run(_write(tmp_path, cases), check=False)[0] == EXIT_OK


def test_malformed_case_gives_a_vietnamese_error_naming_case_and_field(tmp_path):
    bad = {
        "id": "hong-01",
        "received_on": "2026-01-15",
        "award": "LDTT",
        "year": 2025,
        "subject": {"kind": "person", "ratings": {"2025": "TOT"}},
    }
    good = json.loads(SHARED.read_text(encoding="utf-8"))[0]
    code, lines, err = _run(_write(tmp_path, [bad, good]), check=False)
    assert code == EXIT_INVALID
    first = json.loads(lines[0])
    assert first["id"] == "hong-01"
    assert "Tình huống «hong-01»" in first["error"]
    assert "subject.ratings.2025" in first["error"]
    assert "không hợp lệ" in first["error"]
    assert json.loads(lines[1])["id"] == good["id"]  # the other cases still run
    assert "hong-01" in err


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"received_on": "2023-05-01"}, "received_on", "Không có bộ quy tắc nào có hiệu lực"),
        ({"received_on": "15/01/2026"}, "received_on", "YYYY-MM-DD"),
        ({"award": "HUAN_CHUONG"}, "award", "không hợp lệ"),
        ({"rule_set_override": {"no_such_param": 1}}, "rule_set_override", "không có tham số"),
        ({"subject": None}, "subject", "cần «subject», «batch» hoặc «vote»"),
        (
            {"subject": {"kind": "collective", "size": 10, "completed_duties": 12, "ldtt_count": 5}},
            "subject.completed_duties",
            "không được vượt 10",
        ),
    ],
)
def test_case_errors_name_the_field(change, field, words):
    raw = {**json.loads(SHARED.read_text(encoding="utf-8"))[0], **change}
    with pytest.raises(CaseError) as info:
        run_case(raw=raw)
    assert info.value.case_id == "case-01"
    assert info.value.field == field
    assert words in str(info.value)


def test_wrong_subject_kind_is_a_case_error():
    raw = json.loads(SHARED.read_text(encoding="utf-8"))[0]
    raw = {**raw, "award": "TTLDTT"}  # a person's history for a collective title
    with pytest.raises(CaseError, match="chỉ xét cho tập thể"):
        run_case(raw=raw)


def test_unreadable_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    code, lines, err = _run(broken, check=True)
    assert (code, lines) == (EXIT_INVALID, [])
    assert "không phải JSON hợp lệ" in err
    code, _, err = _run(tmp_path / "missing.json", check=False)
    assert code == EXIT_INVALID and "Không tìm thấy" in err


def test_unknown_extra_fields_are_ignored():
    raw = json.loads(SHARED.read_text(encoding="utf-8"))[0]
    raw = {**raw, "comment": "x", "subject": {**raw["subject"], "favourite_colour": "đỏ"}}
    assert run_case(raw=raw)["eligible"] is True


@pytest.fixture
def django_configured():
    from django.conf import settings

    if not settings.configured:
        pytest.skip("Django chưa được cấu hình (chạy với -p no:django)")


@pytest.mark.usefixtures("django_configured")
def test_management_command_needs_no_database(tmp_path):
    # Deliberately no django_db mark: pytest-django blocks database access, so this also proves the
    # command never touches the ORM.
    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("eligibility_check", str(SHARED), "--check", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["id"] for line in lines] == _case_ids(SHARED)

    cases = json.loads(SHARED.read_text(encoding="utf-8"))
    cases[1]["expect"]["eligible"] = True
    with pytest.raises(CommandError) as info:
        call_command(
            "eligibility_check", str(_write(tmp_path, cases)), "--check", stdout=io.StringIO(), stderr=err
        )
    assert info.value.returncode == EXIT_MISMATCH
