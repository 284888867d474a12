"""Issue 13 acceptance (7): README's screen table and the help pages match the screens.

(a) Every path of the "where" column of README's "What it does (screens)" table resolves and opens (200,
    after redirects) for a superuser on the shared small tree.
(b) Every screen a help page names resolves — its `{% url %}` / `{% guide_link %}` tags (checked in the
    template source, so a link shown only to some users is checked too) and any literal `/…/` path in its
    text —, every URL name a page declares in `core.views_help.PAGES` (`HelpPage.screens`) exists, and every
    entry of the main menu (the `<nav>` of templates/base.html) is declared by a help page: the mapping menu →
    help page is that registry, not a list in this test.
(c) Every help page renders 200, for the superuser and for a member.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse

from accounts.roles import Role
from core.views_help import PAGES

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
README = ROOT / "README.md"
BASE_TEMPLATE = ROOT / "templates" / "base.html"
HELP_DIR = ROOT / "templates" / "help"

# URL names that a help page may already document while the screen is still being built by another
# helper (issue 13). Each entry must NOT resolve yet: once the screen exists, the test fails until the name
# is removed from here — the lead empties this list at integration.
PENDING: frozenset[str] = frozenset()

# menu entries that are no screen to explain: the guide itself and the sign-out button
NOT_SCREENS = {"help:index", "accounts:logout"}

URL_TAG = re.compile(r"""\{%\s*(url|guide_link)\s+["']([^"']+)["']([^%]*)%\}""")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
LITERAL_PATH = re.compile(r"""(?<![\w.:/"'=])(/(?:[a-z0-9-]+/)+)""")
README_PATH = re.compile(r"`(/[^`\s]*)`")


# --- helpers -----------------------------------------------------------------------------------------


def readme_screen_paths() -> list[str]:
    """The `/…/` code spans of the "where" column of README's screen table."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## What it does (screens)")
    end = text.index("\n## ", start + 1)
    paths = []
    for line in text[start:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("area", "") or set(cells[0]) <= {"-"}:
            continue
        paths += README_PATH.findall(cells[1])
    return paths


def menu_url_names() -> list[str]:
    """The URL names linked by the main menu (the top `<nav>` of templates/base.html)."""
    source = BASE_TEMPLATE.read_text(encoding="utf-8")
    start = source.index("<nav")
    nav = source[start : source.index("</nav>", start)]
    return list(dict.fromkeys(name for _tag, name, _rest in URL_TAG.findall(nav)))


def url_name_exists(name: str) -> bool:
    """A URL name (with its namespaces) the resolver knows, whatever arguments it takes."""
    resolver = get_resolver()
    *namespaces, last = name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return last in resolver.reverse_dict


def help_templates() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(HELP_DIR.glob("*.html"))}


HELP_SOURCES = help_templates()


def with_unit(path: str, unit_pk: int) -> str:
    """`?don_vi=` left empty in the README (any unit) → the tree's top unit."""
    parts = urlsplit(path)
    query = [(k, v or str(unit_pk)) if k == "don_vi" else (k, v) for k, v in parse_qsl(parts.query, True)]
    return parts.path + (f"?{urlencode(query)}" if query else "")


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


# --- (a) README's screen table ----------------------------------------------------------------------


def test_the_readme_screen_table_names_paths():
    paths = readme_screen_paths()
    assert len(paths) >= 15, paths
    assert "/" in paths and "/cua-toi/" in paths and "/tai-khoan/nguoi-dung/" in paths


@pytest.mark.parametrize("path", readme_screen_paths())
def test_every_screen_of_the_readme_table_opens_for_the_superuser(superuser_client, tree, path):
    try:
        resolve(urlsplit(path).path)
    except Resolver404:  # pragma: no cover - the failure message
        pytest.fail(f"README.md names {path}, which is no URL of the site")
    response = superuser_client.get(with_unit(path, tree.vn.pk), follow=True)
    assert response.status_code == 200, f"README.md: {path} answers {response.status_code}"


# --- (b) the help pages name screens that exist; the menu is covered ----------------------------------


def test_every_help_template_is_a_registered_page_and_back():
    pages = {p.slug for p in PAGES}
    templates = set(HELP_SOURCES) - {"_page", "index"}
    assert templates == pages, (
        f"templates without a page: {templates - pages}; pages without: {pages - templates}"
    )


@pytest.mark.parametrize("slug", [p.slug for p in PAGES])
def test_the_screens_a_help_page_declares_exist(slug):
    page = next(p for p in PAGES if p.slug == slug)
    assert page.screens, f"help page {slug} declares no screen"
    for name in page.screens:
        if name in PENDING:
            continue
        try:
            reverse(name)
        except NoReverseMatch:  # pragma: no cover - the failure message
            pytest.fail(f"help page {slug} documents {name}, which is no URL name without arguments")


def test_pending_names_are_really_pending():
    """A name stays in PENDING only while its screen does not exist."""
    arrived = sorted(name for name in PENDING if url_name_exists(name))
    assert not arrived, f"these screens exist now: remove them from PENDING: {arrived}"


@pytest.mark.parametrize("name", sorted(HELP_SOURCES))
def test_every_url_and_path_a_help_template_names_resolves(name):
    source = HELP_SOURCES[name]
    for tag, url_name, rest in URL_TAG.findall(source):
        if url_name in PENDING:
            continue
        # {% url 'name' 'literal' %} is reversed with its arguments; with a variable, the name must exist;
        # {% guide_link "name" "text" "action" %} takes no URL argument
        words = rest.split() if tag == "url" else []
        if all(w[0] in "'\"" for w in words):
            try:
                reverse(url_name, args=[w.strip("'\"") for w in words])
            except NoReverseMatch:  # pragma: no cover - the failure message
                pytest.fail(f"templates/help/{name}.html links {url_name} {words}, which does not exist")
        else:
            assert url_name_exists(url_name), f"templates/help/{name}.html links {url_name}"
    text = TEMPLATE_TAG.sub(" ", source)
    for path in LITERAL_PATH.findall(text):
        try:
            resolve(path)
        except Resolver404:  # pragma: no cover - the failure message
            pytest.fail(f"templates/help/{name}.html names the path {path}, which is no screen")


def test_every_menu_entry_has_a_help_page():
    documented = {name: page.slug for page in PAGES for name in page.screens}
    menu = menu_url_names()
    assert {"organizations:tree", "members:list", "nominations:inbox"} <= set(menu), menu
    missing = [name for name in menu if name not in documented and name not in NOT_SCREENS]
    assert not missing, (
        f"menu entries of templates/base.html without a help page: {missing} — add them to the `screens` of "
        "a HelpPage in core/views_help.py and describe them in its template"
    )


def test_each_menu_entry_is_linked_from_its_help_page():
    """The page that declares a menu entry links it (a `{% url %}` or `{% guide_link %}`); the Django
    admin (“Quản trị”, for system administrators) is named, not linked."""
    menu = set(menu_url_names())
    for page in PAGES:
        linked = {url_name for _tag, url_name, _rest in URL_TAG.findall(HELP_SOURCES[page.slug])}
        unlinked = sorted(name for name in set(page.screens) & menu - linked if name != "admin:index")
        assert not unlinked, (
            f"help page {page.slug} declares the menu entries {unlinked} but does not link them"
        )
    assert "“Quản trị”" in HELP_SOURCES["nguoi-dung"]


# --- (c) the help pages render -------------------------------------------------------------------------


def test_every_help_page_renders_for_the_superuser_and_a_member(superuser_client, tree, make_user):
    for page in PAGES:
        response = superuser_client.get(reverse("help:page", args=[page.slug]))
        assert response.status_code == 200, page.slug
        assert page.title in response.content.decode()
    index = superuser_client.get(reverse("help:index")).content.decode()
    assert all(reverse("help:page", args=[p.slug]) in index for p in PAGES)
    member = Client()
    member.force_login(make_user(Role.MEMBER, tree.t1, include_subtree=False))
    for page in PAGES:
        assert member.get(reverse("help:page", args=[page.slug])).status_code == 200, page.slug
