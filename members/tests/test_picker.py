"""Issue 12 finding 11: the searchable person / unit picker (members.widgets, members:person_search).

At most 20 results, accent-insensitive on Person.search_text, scoped by `Person.objects.restrict(user,
action)`, never a birth date in full nor a citizen ID; the form field refuses a pk of another branch."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from accounts.roles import Role
from conftest import add_person
from core.access import Action
from members.models import Membership, Person
from members.widgets import PersonPickerField, UnitPickerField, person_pick_queryset, unit_pick_queryset

pytestmark = pytest.mark.django_db

URL = "/doan-vien/tim/"


def bulk_people(unit, names: list[str], *, born=dt.date(1980, 1, 1), card_prefix="X") -> list[Person]:
    people = []
    for i, name in enumerate(names):
        words = name.split()
        person = Person(
            family_name=words[0],
            middle_name=" ".join(words[1:-1]),
            given_name=words[-1],
            gender="M",
            birth_date=born + dt.timedelta(days=400 * (i % 30)),
        )
        person.refresh_derived()
        people.append(person)
    Person.objects.bulk_create(people)
    Membership.objects.bulk_create(
        Membership(person=p, unit=unit, started_on=dt.date(2020, 1, 1), card_number=f"{card_prefix}{i:06d}")
        for i, p in enumerate(people)
    )
    return people


def test_search_is_accent_insensitive_and_shows_name_birth_year_and_unit(officer_client, tree):
    page = officer_client.get(URL, {"q": "nguyen van an", "don_vi": tree.ubnd.pk}).content.decode()
    assert "Nguyễn Văn An" in page and "(1985)" in page and "Tổ công đoàn Phòng Nội vụ" in page
    assert f'data-pick="{tree.an.pk}"' in page
    # never the citizen ID (not even masked) nor the full birth date
    assert "001085012345" not in page and "2345" not in page
    assert "17/05/1985" not in page and "1985-05-17" not in page


def test_json_answer_has_no_birth_date_nor_citizen_id(officer_client, tree):
    data = officer_client.get(URL, {"q": "Văn An", "dinh_dang": "json"}).json()
    assert [r["pk"] for r in data["results"]] == [tree.an.pk]
    [row] = data["results"]
    assert set(row) == {"pk", "label", "name", "birth_year", "where"}
    assert row["birth_year"] == 1985 and row["where"] == "Tổ công đoàn Phòng Nội vụ"
    assert "001085012345" not in str(data) and "05-17" not in str(data)


def test_search_returns_in_scope_matches_only(client, make_user, tree):
    add_person(tree.mk, "Nguyễn Văn An", citizen_id="001085099999", card="0199999999")  # Hai Bà Trưng
    client.force_login(make_user(Role.OFFICER, tree.md))
    data = client.get(URL, {"q": "nguyen van an", "dinh_dang": "json"}).json()
    assert [r["pk"] for r in data["results"]] == [tree.an.pk]
    # another branch's member is not found by name nor by card number
    assert client.get(URL, {"q": "Lê Thị Ánh", "dinh_dang": "json"}).json()["results"] == []
    assert client.get(URL, {"q": "0100000004", "dinh_dang": "json"}).json()["results"] == []
    # but by card number inside the scope
    assert [r["pk"] for r in client.get(URL, {"q": "0100000002", "dinh_dang": "json"}).json()["results"]] == [
        tree.hoa.pk
    ]


def test_search_through_the_widget_field_name_and_unit(officer_client, tree):
    """htmx sends the search box as `<field>_q` with `truong=<field>`; `don_vi` narrows to a subtree."""
    found = officer_client.get(URL, {"truong": "person", "person_q": "tran thi", "dinh_dang": "json"}).json()
    assert [r["pk"] for r in found["results"]] == [tree.hoa.pk]
    narrowed = officer_client.get(
        URL, {"truong": "person", "person_q": "tran thi", "don_vi": tree.t1.pk, "dinh_dang": "json"}
    ).json()
    assert narrowed["results"] == []


def test_at_most_twenty_results_and_namesakes_are_told_apart(officer_client, tree):
    bulk_people(tree.t2, ["Nguyễn Văn Nam"] * 26)
    data = officer_client.get(URL, {"q": "Nguyễn Văn Nam", "dinh_dang": "json"}).json()
    assert len(data["results"]) == 20 and data["more"] is True
    labels = [r["label"] for r in data["results"]]
    assert len(set(labels)) == 20  # birth year + unit tell the 20 shown apart
    page = officer_client.get(URL, {"q": "Nguyễn Văn Nam"}).content.decode()
    assert page.count("data-pick=") == 20 and "gõ thêm để thu hẹp" in page


def test_foreign_unit_is_404_and_no_right_is_403(client, officer_client, make_user, tree):
    assert officer_client.get(URL, {"q": "an", "don_vi": tree.mk.pk}).status_code == 404
    assert officer_client.get(URL, {"q": "an", "don_vi": "1" * 23}).status_code == 404
    member = make_user()
    client.force_login(member)
    assert client.get(URL, {"q": "an"}).status_code == 403


def test_an_action_outside_the_allowed_list_falls_back_to_person_view(client, make_user, tree):
    """`quyen` cannot widen the search: an unknown action is read as person.view."""
    client.force_login(make_user(Role.OFFICER, tree.md))
    data = client.get(URL, {"q": "Lê Thị Ánh", "quyen": "unit.view", "dinh_dang": "json"}).json()
    assert data["results"] == []


def test_unit_search_is_scoped(officer_client, tree):
    data = officer_client.get("/doan-vien/tim-don-vi/", {"q": "to cong doan", "dinh_dang": "json"}).json()
    assert {r["pk"] for r in data["results"]} == {tree.t1.pk, tree.t2.pk}
    assert (
        officer_client.get("/doan-vien/tim-don-vi/", {"q": "Minh Khai", "dinh_dang": "json"}).json()[
            "results"
        ]
        == []
    )


class PickForm(forms.Form):
    person = PersonPickerField(label="Cá nhân")
    unit = UnitPickerField(label="Tập thể", required=False)


def _form(officer, tree, data):
    form = PickForm(data)
    form.fields["person"].queryset = person_pick_queryset(
        user=officer, action=Action.AWARD_RECORD, unit=tree.md
    )
    form.fields["unit"].queryset = unit_pick_queryset(user=officer, action=Action.AWARD_RECORD, unit=tree.md)
    return form


def test_field_refuses_a_foreign_pk_without_naming_it(officer, tree):
    form = _form(officer, tree, {"person": str(tree.minh_khai.pk), "unit": str(tree.mk.pk)})
    assert not form.is_valid()
    assert "Không tìm thấy đoàn viên này trong phạm vi của bạn" in form.errors["person"][0]
    assert "Không tìm thấy đơn vị này trong phạm vi của bạn" in form.errors["unit"][0]
    assert "Lê Thị Ánh" not in str(form.errors) and "Lê Thị Ánh" not in form.as_p()
    form = _form(officer, tree, {"person": "9" * 25})
    assert not form.is_valid() and "person" in form.errors


def test_field_takes_a_pk_in_scope_and_renders_its_label(officer, tree):
    form = _form(officer, tree, {"person": str(tree.an.pk), "unit": str(tree.t1.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == tree.an and form.cleaned_data["unit"] == tree.t1
    html = str(form["person"])
    assert 'type="hidden"' in html and f'value="{tree.an.pk}"' in html
    assert 'value="Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ"' in html
    assert "/doan-vien/tim/?" in html and "hx-get" in html


def test_without_javascript_a_card_number_or_a_unique_name_is_enough(officer, tree):
    form = _form(officer, tree, {"person_q": "0100000002", "unit_q": "HN-MD-UBND-T02"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == tree.hoa and form.cleaned_data["unit"] == tree.t2
    form = _form(officer, tree, {"person_q": "nguyen van an"})
    assert form.is_valid() and form.cleaned_data["person"] == tree.an
    # a card number of another branch is not found (and not named)
    form = _form(officer, tree, {"person_q": "0100000004"})
    assert not form.is_valid() and "Không tìm thấy đoàn viên" in form.errors["person"][0]
    # namesakes: asked to pick or to type the card number
    bulk_people(tree.t2, ["Nguyễn Văn Nam"] * 2)
    form = _form(officer, tree, {"person_q": "Nguyễn Văn Nam"})
    assert not form.is_valid() and "số thẻ đoàn viên" in form.errors["person"][0]
