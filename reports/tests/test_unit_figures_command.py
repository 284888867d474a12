"""`manage.py unit_figures UNIT_CODE --year Y [--json]`: the dashboard's figures of a unit for a year, from the
same counters (checked against the dashboard's own rollup on the demo data)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organizations.models import OrgUnit
from reports.selectors import rollup

pytestmark = pytest.mark.django_db


def test_the_figures_are_the_dashboards(capsys):
    call_command("load_demo", verbosity=0)
    md = OrgUnit.objects.get(code="HN-MD")
    capsys.readouterr()
    call_command("unit_figures", "HN-MD", "--year", "2023", "--json")
    payload = json.loads(capsys.readouterr().out)
    expected = rollup(unit=md, year=2023)
    assert payload["unit"] == "HN-MD" and payload["year"] == 2023
    assert payload["figures"]["members"] == expected["members"] > 0
    assert payload["figures"]["cdcs"] == expected["cdcs"] > 0
    assert payload["figures"]["aw_tt"] == expected.get("aw_tt", 0)
    assert payload["figures"]["aw_cn"] == expected.get("aw_cn", 0)
    by_type = {row["code"]: row for row in payload["awards_by_type"]}
    assert sum(r["individuals"] for r in by_type.values()) == payload["figures"]["aw_cn"]
    call_command("unit_figures", "HN-MD", "--year", "2023")
    text = capsys.readouterr().out
    assert "Liên đoàn Lao động huyện Mỹ Đức (HN-MD) — năm 2023" in text and "Đoàn viên:" in text


def test_an_unknown_unit_or_year_is_refused():
    with pytest.raises(CommandError, match="Không có đơn vị mã “XX”"):
        call_command("unit_figures", "XX")
