"""Issue 13, item 1: the main screens of the demo show names and sentences, never internal codes — rule IDs
(R-ORG-02 …), rule-set codes (TLD-2025-ND152), award codes (LDTT, BK_LDLD …), parameter keys or enum values
(LAUNCHED, IN_COUNCIL …) — nor Django's "---------" empty choice or money without thousands separators.
Only the visible text is checked (tags, attributes, scripts and styles removed): `data-award="LDTT"` is fine.
The engine's own outputs (verdict JSON, case files, `manage.py eligibility_check`) keep the rule IDs."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accounts.models import User
from clusters.models import Cluster
from commendations.models import AwardRecord, AwardType, RuleSet
from members.models import Person
from movements.models import Movement
from nominations.choices import DossierState, SessionState
from organizations.models import OrgUnit

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"\bR-[A-Z]+-\d\d\b")
RULE_SET_CODE = re.compile(r"\bTLD-20\d\d\b")
UNDERSCORED = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b")  # BK_LDLD, LDG_LDST, vote_threshold, IN_COUNCIL
RAW_MONEY = re.compile(r"\b\d{5,}\s*(đ|đồng)\b")
ENUMS = {s.value for s in DossierState} | {s.value for s in SessionState} | {"LAUNCHED", "DRAFT", "CLOSED"}


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html_lib.unescape(page)


def codes_in(text: str, award_codes: set[str]) -> list[str]:
    found = RULE_ID.findall(text) + RULE_SET_CODE.findall(text) + UNDERSCORED.findall(text)
    found += [m.group(0) for m in RAW_MONEY.finditer(text)]
    words = set(re.findall(r"\b[A-Z][A-Z0-9_]+\b", text))
    found += sorted(words & (award_codes | ENUMS))
    if "---------" in text:
        found.append("---------")
    return found


def test_the_checker_catches_each_kind_of_code():
    text = visible_text(
        '<p data-award="LDTT">Căn cứ R-GEN-01, TLD-2025-ND152; BK_LDLD; LAUNCHED; 45000000 đ</p><option>---------'
    )
    assert codes_in(text, {"LDTT", "BK_LDLD"}) == [
        "R-GEN-01",
        "TLD-2025",
        "BK_LDLD",
        "45000000 đ",
        "BK_LDLD",
        "LAUNCHED",
        "---------",
    ]
    assert codes_in(visible_text('<p data-award="LDTT">Lao động tiên tiến: 45.000.000 đ</p>'), {"LDTT"}) == []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, built once for the module and rolled back when the module is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _main_screens() -> dict[str, list[str]]:
    """The screens each demo account works on, with the demo's own objects."""
    md = OrgUnit.objects.get(code="HN-MD")
    hn = OrgUnit.objects.get(code="HN")
    movements = list(Movement.objects.order_by("pk"))
    person = Person.objects.filter(award_records__isnull=False).order_by("pk").first()
    rule_set = RuleSet.objects.order_by("-valid_from").first()
    cluster = Cluster.objects.order_by("pk").first()
    common = [
        "/",
        "/phong-trao/",
        *[f"/phong-trao/{m.pk}/?don_vi={md.pk}" for m in movements],
        *[f"/phong-trao/{m.pk}/?don_vi={md.pk}&ky=FINAL" for m in movements],
        f"/phong-trao/danh-gia/?don_vi={md.pk}",
        "/khen-thuong/",
        f"/khen-thuong/don-vi/{md.pk}/?nam=2024",
        f"/khen-thuong/ca-nhan/{person.pk}/?nam=2024",
        "/khen-thuong/so-khen-thuong/",
        f"/khen-thuong/so-khen-thuong/?don_vi={md.pk}",
        "/khen-thuong/bo-quy-tac/",
        f"/khen-thuong/bo-quy-tac/{rule_set.pk}/",
        "/don-vi/cum-thi-dua/",
        f"/don-vi/{hn.pk}/cum-thi-dua/",
        f"/don-vi/cum-thi-dua/{cluster.pk}/",
        "/de-nghi/",
    ]
    district = [
        *[f"/phong-trao/{m.pk}/dang-ky-ho/?don_vi={md.pk}" for m in movements],
        *[f"/phong-trao/{m.pk}/bao-cao/?don_vi={md.pk}" for m in movements],
        f"/khen-thuong/so-khen-thuong/them/?don_vi={md.pk}",
        f"/don-vi/{md.pk}/cum-thi-dua/",
    ]
    return {"admin": common + district, "canbo.myduc": common + district, "canbo.hanoi": common}


def test_main_screens_of_the_demo_show_no_internal_codes(demo):
    award_codes = set(AwardType.objects.values_list("code", flat=True))
    assert AwardRecord.objects.exists() and {"LDTT", "BK_LDLD"} <= award_codes
    problems = []
    checked = 0
    for username, urls in _main_screens().items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url, follow=True)
            if response.status_code in (403, 404):
                continue  # not this account's screen (no right, or outside its scope)
            assert response.status_code == 200, f"{username} {url}: {response.status_code}"
            checked += 1
            found = codes_in(visible_text(response.content.decode()), award_codes)
            if found:
                problems.append(f"{username} {url}: {sorted(set(found))}")
    assert checked > 40
    assert not problems, "internal codes on screens:\n" + "\n".join(problems)
