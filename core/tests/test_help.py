"""The user guide ("Hướng dẫn", `core.views_help`, templates/help/): every page answers 200, is linked
from the menu (the guide's index in the top bar, each page from the index), and every link inside a
help page resolves to a URL of the site."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from accounts.roles import Role
from core.views_help import PAGES

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]*)"')
MAIN_SCREENS = {
    "chu-trinh",
    "don-vi",
    "doan-vien",
    "phong-trao",
    "sang-kien",
    "cum-thi-dua",
    "ho-so",
    "hoi-dong",
    "khen-thuong",
    "bao-cao",
    "cua-toi",
    "nguoi-dung",
}


def test_a_page_for_each_main_screen_and_the_annual_cycle():
    assert {p.slug for p in PAGES} == MAIN_SCREENS


def test_help_is_linked_from_the_menu_and_every_page_from_the_index(client, tree, make_user):
    client.force_login(make_user(Role.MEMBER, tree.t1, include_subtree=False))
    home = client.get("/").content.decode()
    menu = home[home.index('id="nav-main"') : home.index("</nav>")]
    assert 'href="/huong-dan/"' in menu and "Hướng dẫn" in menu
    index = client.get("/huong-dan/")
    assert index.status_code == 200
    for page in PAGES:
        assert f'href="/huong-dan/{page.slug}/"' in index.content.decode()


@pytest.mark.parametrize("slug", sorted(MAIN_SCREENS))
def test_each_help_page_answers_and_its_links_resolve(client, tree, make_user, slug):
    client.force_login(make_user(Role.OFFICER, tree.md))
    response = client.get(f"/huong-dan/{slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    article = body[body.index("<article") : body.index("</article>")]
    links = HREF.findall(article)
    assert links, "a help page points to the screens it describes"
    for href in HREF.findall(body):
        if href.startswith("/static/"):
            continue
        path = urlsplit(href).path
        try:
            resolve(path)
        except Resolver404:  # pragma: no cover - the failure message
            pytest.fail(f"{slug}: the link {href} leads nowhere")


@pytest.mark.parametrize("slug", sorted(MAIN_SCREENS))
def test_each_link_of_a_help_page_opens_for_the_superuser(client, tree, make_user, slug):
    """The screens the guide points to open (200) — not only resolve — for a user who may see them all."""
    client.force_login(make_user(is_superuser=True, is_staff=True))
    body = client.get(f"/huong-dan/{slug}/").content.decode()
    article = body[body.index("<article") : body.index("</article>")]
    for href in set(HREF.findall(article)):
        assert client.get(href, follow=True).status_code == 200, f"{slug}: {href}"


def test_an_unknown_help_page_is_404_and_the_guide_needs_a_login(client, tree, make_user):
    assert client.get("/huong-dan/").status_code == 302
    client.force_login(make_user(Role.MEMBER, tree.t1, include_subtree=False))
    assert client.get("/huong-dan/khong-co/").status_code == 404
