"""Issue 12 finding 11: the award-registry add form picks the person through a search (no list of every
person in scope), at desktop and phone widths."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from browser_tests.test_foundation import login
from commendations.models import AwardRecord, AwardType
from members.models import Membership
from organizations.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick_and_record(page, live_server, unit, person, *, number: str, shot, width: int):
    page.goto(f"{live_server.url}/khen-thuong/so-khen-thuong/them/?don_vi={unit.pk}")
    expect(page.get_by_role("heading", name=re.compile("Ghi sổ khen thưởng"))).to_be_visible()
    assert page.locator("select[name=person]").count() == 0  # no list of every person
    search = page.get_by_label("Cá nhân được khen")
    search.fill(person.full_name)
    option = page.locator(f"[data-pick='{person.pk}']")
    expect(option).to_be_visible()
    expect(option).to_contain_text(str(person.birth_date.year))
    shot(page, "30-award-picker-results", width=width)
    option.click()
    expect(search).to_have_value(re.compile(re.escape(person.full_name)))
    assert page.locator("input[type=hidden][name=person]").input_value() == str(person.pk)
    page.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(
        str(AwardType.objects.get(code="GK").pk)
    )
    page.get_by_label("Năm (chu kỳ xét)").fill("2024")
    page.get_by_label("Số quyết định").fill(number)
    page.get_by_label("Ngày quyết định").fill("2024-12-20")
    page.get_by_label("Đơn vị ban hành quyết định").select_option(str(unit.pk))
    shot(page, "31-award-picker-filled", width=width)
    page.get_by_role("button", name="Ghi sổ").click()
    expect(
        page.get_by_text(re.compile(f"Đã ghi sổ: Giấy khen năm 2024 — {re.escape(person.full_name)}"))
    ).to_be_visible()
    assert AwardRecord.objects.filter(person=person, decision_number=number).exists()


def test_record_an_award_picking_the_person_by_search(page, live_server, shot, console_errors):
    call_command("load_demo", verbosity=0)
    unit = OrgUnit.objects.get(code="HN-MD")
    members = list(
        Membership.objects.filter(ended_on__isnull=True, unit__path__startswith=unit.path)
        .exclude(person__birth_date=None)
        .select_related("person")
        .order_by("person_id")[:2]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    _pick_and_record(page, live_server, unit, members[0].person, number="101/QĐ-LĐLĐ", shot=shot, width=1280)
    page.set_viewport_size({"width": 390, "height": 844})
    _pick_and_record(page, live_server, unit, members[1].person, number="102/QĐ-LĐLĐ", shot=shot, width=390)
    assert console_errors == []


def test_a_name_typed_before_the_scripts_ran_is_still_searched(page, live_server, console_errors):
    """A slow phone: the officer types the name while htmx is still loading. The picker searches what
    stands in the box once the page's scripts run (static/js/picker.js), instead of waiting for a key."""
    call_command("load_demo", verbosity=0)
    unit = OrgUnit.objects.get(code="HN-MD")
    person = (
        Membership.objects.filter(ended_on__isnull=True, unit__path__startswith=unit.path)
        .select_related("person")
        .order_by("person_id")
        .first()
        .person
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "canbo.myduc")
    held = []
    page.route(re.compile(r".*/htmx\.min\.js.*"), lambda route: held.append(route))
    page.goto(f"{live_server.url}/khen-thuong/so-khen-thuong/them/?don_vi={unit.pk}", wait_until="commit")
    search = page.get_by_label("Cá nhân được khen")
    search.fill(person.full_name)
    page.wait_for_timeout(500)  # htmx is still held back: nothing can have been asked yet
    assert page.locator(f"[data-pick='{person.pk}']").count() == 0
    assert held, "the page asked for htmx"
    for route in held:
        route.continue_()
    expect(page.locator(f"[data-pick='{person.pk}']")).to_be_visible()
    assert console_errors == []
