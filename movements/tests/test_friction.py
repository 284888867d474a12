"""Issue 13, movements: money and big figures with Vietnamese thousands separators, no total that adds
percentages, "Chọn tất cả" on the bulk registration, the launch plan document linked from the movement page,
title names (never codes) in the bulk list."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from conftest import add_unit
from movements import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def money_movement(make_movement):
    return make_movement(
        targets=[
            {"name": "Tỷ lệ đoàn viên đăng ký thi đua", "unit_of_measure": "%", "target_value": 100},
            {"name": "Quỹ hỗ trợ đoàn viên", "unit_of_measure": "đồng", "target_value": Decimal("45000000")},
        ]
    )


def _report(officer, movement, unit, share, money):
    t1, t2 = movement.targets.all()
    services.progress_report_submit(
        acting_user=officer,
        movement=movement,
        unit=unit,
        stage="MIDYEAR",
        narrative="",
        figures={t1.pk: Decimal(share), t2.pk: Decimal(money)},
    )


def test_progress_totals_add_amounts_but_not_percentages(money_movement, officer, tree):
    other = add_unit(tree.md, "HN-MD-X", "Công đoàn Trường THCS Đại Nghĩa", "CDCS")
    _report(officer, money_movement, tree.ubnd, "96", "30000000")
    _report(officer, money_movement, other, "100.5", "15000000.50")
    table = selectors.progress_table(movement=money_movement, units=[tree.ubnd, other], stage="MIDYEAR")
    assert [v for _, v in table["totals"]] == [None, Decimal("45000000.50")] and table["has_share"]


def test_movement_page_formats_figures_and_shows_no_percentage_total(
    officer_client, money_movement, officer, tree
):
    other = add_unit(tree.md, "HN-MD-X", "Công đoàn Trường THCS Đại Nghĩa", "CDCS")
    _report(officer, money_movement, tree.ubnd, "96", "30000000")
    _report(officer, money_movement, other, "100.5", "15000000.50")
    html = officer_client.get(
        f"/phong-trao/{money_movement.pk}/?ky=MIDYEAR&don_vi={tree.md.pk}"
    ).content.decode()
    assert "45.000.000" in html and "45000000" not in html  # the target, grouped
    assert "30.000.000" in html and "45.000.000,5" in html  # a unit's figure and the total
    assert "100,5" in html and "196" not in html and "196,5" not in html  # 96 % + 100,5 % is not added
    assert 'data-testid="share-note"' in html
    total_row = re.search(r"Tổng cộng</td>(.*?)</tr>", html, re.S).group(1)
    assert "—" in total_row and "45.000.000,5" in total_row


def test_bulk_registration_offers_select_all_and_title_names(officer_client, make_movement, officer, tree):
    movement = make_movement()
    services.registration_register_bulk(
        acting_user=officer, movement=movement, persons=[tree.an], titles=["LDTT"]
    )
    html = officer_client.get(f"/phong-trao/{movement.pk}/dang-ky-ho/?don_vi={tree.ubnd.pk}").content.decode()
    assert 'data-select-all="persons"' in html and "Chọn tất cả" in html
    assert "js/select_all.js" in html
    assert ">Lao động tiên tiến</span>" in html and ">LDTT</span>" not in html


def test_select_all_script_is_served(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    path = finders.find("js/select_all.js")
    assert path and "data-select-all" in Path(path).read_text(encoding="utf-8")


def test_movement_page_links_the_launch_plan_document_for_its_managers(
    client, officer_client, make_movement, make_user, tree
):
    movement = make_movement()
    plan = reverse("documents:plan", args=[movement.pk])
    html = officer_client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert f'href="{plan}"' in html and "Văn bản Kế hoạch phát động" in html
    assert officer_client.get(plan).status_code == 200  # the link leads somewhere it may go
    client.force_login(make_user(Role.OFFICER, tree.ubnd))  # a grassroots officer: sees the movement, no plan
    html = client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "Văn bản Kế hoạch phát động" not in html
