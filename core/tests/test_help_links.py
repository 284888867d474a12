"""The guide links a screen only for a user who may open it (`{% guide_link %}`, core/templatetags/guide.py):
otherwise it names the screen without a link, so no link of the guide answers 403 (found by the
four-click crawl, core/tests/test_crawl.py)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def _page(client, slug: str) -> str:
    response = client.get(reverse("help:page", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_reads_the_screen_names_without_links_to_screens_they_may_not_open(client, tree, make_user):
    client.force_login(make_user(Role.MEMBER, tree.t1, include_subtree=False))
    members = _page(client, "doan-vien")
    assert "Nhập danh sách đoàn viên" in members and "tệp mẫu" in members
    for name in ("members:list", "members:roster_template"):
        assert f'href="{reverse(name)}"' not in members, name
    units = _page(client, "don-vi")
    assert "Nhật ký" in units and f'href="{reverse("core:audit")}"' not in units
    cycle = _page(client, "chu-trinh")
    assert "Sổ khen thưởng" in cycle and f'href="{reverse("commendations:records")}"' not in cycle
    # the links the member may follow stay
    assert f'href="{reverse("movements:list")}"' in cycle


def test_an_officer_gets_the_links_and_each_one_opens(client, tree, make_user):
    client.force_login(make_user(Role.OFFICER, tree.md))
    pages = {slug: _page(client, slug) for slug in ("doan-vien", "don-vi", "chu-trinh")}
    for slug, name in (
        ("doan-vien", "members:list"),
        ("doan-vien", "members:roster_template"),
        ("don-vi", "core:audit"),
        ("chu-trinh", "commendations:records"),
    ):
        assert f'href="{reverse(name)}"' in pages[slug], (slug, name)
        assert client.get(reverse(name), follow=True).status_code == 200, name


def test_the_tag_escapes_the_name_it_prints_alone(tree, make_user):
    request = RequestFactory().get("/")
    request.user = make_user(Role.MEMBER, tree.t1, include_subtree=False)
    template = Template('{% load guide %}{% guide_link "core:audit" name "audit.view" %}')
    assert (
        template.render(Context({"request": request, "name": "<b>Nhật ký</b>"}))
        == "&lt;b&gt;Nhật ký&lt;/b&gt;"
    )
