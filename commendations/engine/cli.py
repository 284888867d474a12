"""Run a case file through the engine without Django:

    python -m commendations.engine.cli FILE.json [--check]

Prints one JSON line per case on stdout. With --check, compares each output with the case's `expect`
(mismatches reported on stderr). Exit codes: 0 all good; 1 a mismatch; 2 unreadable file or invalid case.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .cases import CaseError, CaseFileError, compare_expectation, load_case_file, parse_case, run_parsed
from .rulesets import DEFAULT_CALENDAR, RuleSetSpec

EXIT_OK, EXIT_MISMATCH, EXIT_INVALID = 0, 1, 2


def run(
    *,
    path: str | Path,
    check: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
    calendar: Sequence[RuleSetSpec] = DEFAULT_CALENDAR,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        raw_cases = load_case_file(path=path)
    except CaseFileError as exc:
        err.write(f"LỖI: {exc}\n")
        return EXIT_INVALID
    invalid = mismatched = 0
    for index, raw in enumerate(raw_cases):
        try:
            case = parse_case(raw=raw, index=index, calendar=calendar)
            output = run_parsed(case=case)
        except CaseError as exc:
            invalid += 1
            out.write(json.dumps({"id": exc.case_id, "error": str(exc)}, ensure_ascii=False) + "\n")
            err.write(f"LỖI: {exc}\n")
            continue
        out.write(json.dumps(output, ensure_ascii=False) + "\n")
        if check:
            problems = compare_expectation(output=output, expect=case.expect)
            if problems:
                mismatched += 1
                err.write(f"KHÔNG KHỚP «{case.id}»: {'; '.join(problems)}\n")
    if check:
        total = len(raw_cases)
        err.write(
            f"Đã kiểm tra {total} tình huống: {total - mismatched - invalid} khớp, "
            f"{mismatched} không khớp, {invalid} không hợp lệ.\n"
        )
    if invalid:
        return EXIT_INVALID
    return EXIT_MISMATCH if mismatched else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m commendations.engine.cli",
        description="Xét điều kiện khen thưởng cho các tình huống trong tệp JSON (không cần cơ sở dữ liệu).",
    )
    parser.add_argument("file", help="tệp JSON chứa danh sách tình huống")
    parser.add_argument("--check", action="store_true", help="so sánh với «expect» của từng tình huống")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(path=args.file, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
