"""Issue 13: the year list of an organiser's clusters offers the years that have clusters and the current
emulation year (`core.filters.emulation_year`), not just the year shown ± 1."""

from __future__ import annotations

import re

import pytest

from clusters import services as svc
from clusters.choices import ClusterRole
from conftest import add_unit
from core.filters import emulation_year

pytestmark = pytest.mark.django_db


def _offered(html: str) -> list[int]:
    select = re.search(r'<select id="nam".*?</select>', html, re.S).group(0)
    return [int(y) for y in re.findall(r'<option value="(\d{4})"', select)]


def test_year_list_offers_years_with_clusters_and_the_emulation_year(officer_client, officer, tree):
    other = add_unit(tree.md, "HN-MD-TTYT", "Công đoàn Trung tâm Y tế huyện Mỹ Đức", "CDCS")
    for year, name in ((2019, "Cụm số 1 (2019)"), (2024, "Cụm số 1 (2024)")):
        svc.cluster_create(
            acting_user=officer,
            organiser=tree.md,
            year=year,
            name=name,
            members=[(tree.ubnd, ClusterRole.LEADER), (other, ClusterRole.MEMBER)],
        )
    current = emulation_year()
    html = officer_client.get(f"/don-vi/{tree.md.pk}/cum-thi-dua/?nam=2024").content.decode()
    assert _offered(html) == sorted({current, 2024, 2019}, reverse=True)  # no 2023 / 2025 next to 2024
    # without ?nam= the list opens on the latest year with clusters, and still offers the emulation year
    html = officer_client.get(f"/don-vi/{tree.md.pk}/cum-thi-dua/").content.decode()
    assert current in _offered(html) and 2019 in _offered(html)


def test_a_new_organiser_opens_on_the_emulation_year(officer_client, tree):
    html = officer_client.get(f"/don-vi/{tree.md.pk}/cum-thi-dua/").content.decode()
    assert _offered(html) == [emulation_year()]
