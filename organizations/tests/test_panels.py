"""The unit page is assembled from the parts the apps register (`organizations.panels`), the tree asks
the pre-rolled counters for member figures (`organizations.figures`, filled by reports) and unit merges run the handlers other apps
register (`organizations.hooks`)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from accounts.roles import Role
from conftest import add_person
from core.models import AuditEvent
from members.models import Membership
from organizations import figures, hooks, panels, services
from organizations.models import OrgUnit
from organizations.selectors import orgunit_stats, subtree_member_counts
from reports.services import counters_rebuild, counters_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    """Register test parts; remove them afterwards."""
    keys = []

    def _register(kind, key, **kwargs):
        keys.append(key)
        getattr(panels, kind)(key, **kwargs)

    yield _register
    for key in keys:
        panels.unregister(key)


def test_every_app_registers_its_own_parts_in_page_order():
    page_keys = [p.key for p in panels._ordered(panels._panels.values()) if p.region == panels.MAIN]
    side_keys = [p.key for p in panels._ordered(panels._panels.values()) if p.region == panels.SIDE]
    assert page_keys == ["initiatives.recognised", "commendations.awards", "movements.applying"]
    assert side_keys == [
        "nominations.prepare",
        "members.union_officers",
        "organizations.role_holders",
        "clusters.of_unit",
        "nominations.council",
        "imports.index",
        "organizations.lineage",
        "organizations.names",
    ]
    assert [c.key for c in panels._ordered(panels._columns.values())] == [
        "members.count",
        "movements.coverage",
        "initiatives.per_child",
    ]
    assert set(panels._year_sources) == {"reports.figures"}


def test_registered_panels_render_in_order_and_none_leaves_one_out(
    client, make_user, tree, registered, tmp_path, settings
):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "first.html").write_text("<p>PANEL-FIRST {{ greeting }} {{ unit.code }}</p>")
    (tmp_path / "t" / "second.html").write_text("<p>PANEL-SECOND {{ greeting }}</p>")
    (tmp_path / "t" / "hidden.html").write_text("<p>PANEL-HIDDEN</p>")
    (tmp_path / "t" / "side.html").write_text("<p>PANEL-SIDE {{ year }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    registered(
        "register", "test.second", order=25, template="t/second.html", context=lambda p: {"greeting": "b"}
    )
    registered(
        "register", "test.first", order=5, template="t/first.html", context=lambda p: {"greeting": "a"}
    )
    registered("register", "test.hidden", order=6, template="t/hidden.html", context=lambda p: None)
    registered(
        "register", "test.side", order=1, region=panels.SIDE, template="t/side.html", context=lambda p: {}
    )
    client.force_login(make_user(Role.OFFICER, tree.md))

    page = client.get(f"/don-vi/{tree.ubnd.pk}/?nam=2023").content.decode()

    assert "PANEL-FIRST a HN-MD-UBND" in page and "PANEL-SECOND b" in page and "PANEL-HIDDEN" not in page
    # main column: first (5) < initiatives (10) < the awards card (20) < second (25), all above the children
    order = [
        page.index("PANEL-FIRST"),
        page.index("sáng kiến được công nhận"),
        page.index('data-testid="unit-eligibility-card"'),
        page.index("PANEL-SECOND"),
        page.index("Đơn vị trực thuộc</div>"),
    ]
    assert order == sorted(order)
    # side column: the test panel (1) comes before the union officers (10)
    assert page.index("PANEL-SIDE 2023") < page.index("Ban Chấp hành, cán bộ công đoàn")


def test_a_registered_child_column_shows_a_header_a_cell_per_child_and_a_note(
    client, make_user, counted, registered, tmp_path, settings
):
    tree = counted
    (tmp_path / "c.html").write_text(
        '{% if part == "head" %}<th>COL-HEAD</th>{% elif part == "cell" %}<td>COL-{{ value }}</td>'
        '{% elif part == "note" %}<div>COL-NOTE {{ label }}</div>{% endif %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    registered(
        "register_column",
        "test.column",
        order=99,
        template="c.html",
        context=lambda p: {"cells": {c.pk: c.code for c in p.children}, "label": "x"},
    )
    client.force_login(make_user(Role.OFFICER, tree.md))

    page = client.get(f"/don-vi/{tree.ubnd.pk}/").content.decode()

    assert page.count("<th>COL-HEAD</th>") == 1 and "COL-NOTE x" in page
    t1_row = page[page.index("Tổ công đoàn Phòng Nội vụ</a>") :]
    t1_row = t1_row[: t1_row.index("</tr>")]
    assert "<td>COL-HN-MD-UBND-T01</td>" in t1_row
    assert t1_row.index('data-label="Đoàn viên"') < t1_row.index("COL-HN-MD-UBND-T01")  # after members (10)
    assert "<td>COL-HN-MD-UBND-T02</td>" in page


def test_figures_year_asks_every_source(tree, registered, monkeypatch):
    for key in list(panels._year_sources):  # only the test's sources
        monkeypatch.delitem(panels._year_sources, key)
    assert panels.figures_year(tree.md) == timezone.localdate().year - 1
    registered("register_year_source", "test.a", latest_year=lambda unit: 2021)
    registered("register_year_source", "test.b", latest_year=lambda unit: None)
    assert panels.figures_year(tree.md) == 2021
    registered("register_year_source", "test.c", latest_year=lambda unit: 2024 if unit == tree.md else 2019)
    assert panels.figures_year(tree.md) == 2024 and panels.figures_year(tree.hn) == 2021
    assert panels.figures_year(tree.md, "2018") == 2018 and panels.figures_year(tree.md, "abc") == 2024


def test_page_once_computes_a_shared_read_once(tree):
    calls = []
    page = panels.UnitPage(user=None, unit=tree.md, children=[], year=2024, may_see_people=True)
    assert page.once("k", lambda: calls.append(1) or "v") == "v"
    assert page.once("k", lambda: calls.append(1) or "w") == "v"
    assert calls == [1]


def test_unknown_region_is_refused():
    with pytest.raises(ValueError):
        panels.register("test.bad", order=1, template="x.html", context=lambda p: {}, region="footer")
    assert "test.bad" not in panels._panels


def test_member_figures_come_from_the_pre_rolled_counters(tree, monkeypatch):
    year = timezone.localdate().year
    assert subtree_member_counts(units=[tree.md]) is None  # not built: no silent raw count
    assert orgunit_stats(unit=tree.md) == {"built": False, "year": year}
    counters_rebuild(year=year)
    assert subtree_member_counts(units=[tree.md, tree.hbt, tree.nb]) == {
        tree.md.pk: 3,
        tree.hbt.pk: 1,
        tree.nb.pk: 1,
    }
    add_person(tree.t1, "Trần Văn Nam", gender="M")
    women = Membership.objects.filter(
        unit__path__startswith=tree.md.path, ended_on__isnull=True, person__gender="F"
    ).count()
    # the counters move when the membership's unit is refreshed (after the commit, `reports.signals`)
    assert orgunit_stats(unit=tree.md)["members"] == 3
    counters_refresh(year=year, unit_ids=[tree.t1.pk])
    stats = orgunit_stats(unit=tree.md)
    assert stats == {"built": True, "year": year, "units_below": 3, "members": 4, "female": women}
    assert 0 < women < 4
    monkeypatch.setattr(figures, "_provider", None)
    with pytest.raises(ImproperlyConfigured, match="số liệu đoàn viên"):
        subtree_member_counts(units=[tree.md])


def test_merge_runs_the_registered_handlers_in_order_inside_its_transaction(tree, make_user):
    city = make_user(Role.OFFICER, tree.hn)
    seen = []

    def archive(*, acting_user, source, target, on, reason):
        seen.append(("archive", source.code, target.code, on, reason))
        return "2 hồ sơ lưu trữ"

    def nothing(*, acting_user, source, target, on, reason):
        seen.append(("nothing", source.code))
        return None

    hooks.register_merge_handler("test.nothing", nothing, order=30)
    hooks.register_merge_handler("test.archive", archive, order=20)
    try:
        services.orgunit_merge(
            acting_user=city,
            sources=[OrgUnit.objects.get(pk=tree.mk.pk)],
            target=OrgUnit.objects.get(pk=tree.ubnd.pk),
            merged_on=dt.date(2025, 7, 1),
            reason="Sắp xếp",
        )
    finally:
        hooks.unregister_merge_handler("test.archive")
        hooks.unregister_merge_handler("test.nothing")
    assert seen == [
        ("archive", "HN-HBT-MK", "HN-MD-UBND", dt.date(2025, 7, 1), "Sắp xếp"),
        ("nothing", "HN-HBT-MK"),
    ]
    merge = AuditEvent.objects.get(action="orgunit.merge")
    # the members' handler (order 10) first, then the test's; the unit count last
    assert "chuyển 1 đoàn viên, 2 hồ sơ lưu trữ và 0 đơn vị trực thuộc. Lý do: Sắp xếp" in merge.summary
    merge_in = AuditEvent.objects.get(action="orgunit.merge_in")
    assert merge_in.summary.endswith("sáp nhập (1 đoàn viên và 2 hồ sơ lưu trữ)")


def test_a_failing_merge_handler_undoes_the_whole_merge(tree, make_user):
    city = make_user(Role.OFFICER, tree.hn)

    def refuse(**kwargs):
        raise RuntimeError("lỗi")

    hooks.register_merge_handler("test.refuse", refuse, order=99)
    try:
        with pytest.raises(RuntimeError):
            services.orgunit_merge(
                acting_user=city,
                sources=[OrgUnit.objects.get(pk=tree.mk.pk)],
                target=OrgUnit.objects.get(pk=tree.ubnd.pk),
                merged_on=dt.date(2025, 7, 1),
            )
    finally:
        hooks.unregister_merge_handler("test.refuse")
    mk = OrgUnit.objects.get(pk=tree.mk.pk)
    assert mk.valid_to is None and mk.successor_id is None
    assert tree.minh_khai.memberships.get().unit_id == mk.pk  # the members' handler ran, and was undone
    assert not AuditEvent.objects.filter(action__startswith="orgunit.merge").exists()


def test_merge_summary_without_other_handlers_is_as_before(tree, make_user, monkeypatch):
    monkeypatch.setattr(hooks, "_hooks", {})
    city = make_user(Role.OFFICER, tree.hn)
    services.orgunit_merge(
        acting_user=city,
        sources=[OrgUnit.objects.get(pk=tree.hbt.pk)],
        target=OrgUnit.objects.get(pk=tree.md.pk),
        merged_on=dt.date(2025, 7, 1),
    )
    assert AuditEvent.objects.get(action="orgunit.merge").summary.endswith(": chuyển 1 đơn vị trực thuộc")
    assert AuditEvent.objects.get(action="orgunit.merge_in").summary.endswith(
        "Bai Trưng” sáp nhập".replace("Bai", "Bà")
    )
