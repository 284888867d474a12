"""The four-click crawl (issue 13, acceptance 2): from each demo account's home page, every link and
button reachable within four clicks answers 200 (or a download) — never 403, 404 or 500.

The demo data (`load_demo`) is built once for the module and rolled back afterwards. For each demo
account the crawl signs in and walks breadth-first from `/`:
- it follows every same-site `<a href>` and `hx-get`, and submits every `<form method="get">` with its
  default values (a browser's Enter: the first named submit button, checked boxes, selected options);
- it never submits a POST form (they change data) but resolves the action of every POST form, submit
  button `formaction` and `hx-post` with `django.urls.resolve` — a button to a missing URL fails;
- it skips the sign-out, the language switch (`/i18n/`), the Django admin (`/quan-tri/`), other sites,
  `#` anchors, `mailto:`/`tel:`/`javascript:`; `/static/` links must name a file the finders know;
- pages are deduplicated by exact URL, and at most `PER_PATTERN` URLs are fetched per pattern (the
  resolver route + the sorted query keys), so a list of 9,000 members does not explode;
- every answer must be 2xx, a redirect chain ending in 2xx (never the sign-in page), or a download
  (`Content-Disposition: attachment` or a non-HTML type). A failure prints the chain of pages that led
  to it. Every request runs in a savepoint rolled back after it.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import User
from demo.builder import DEMO_USERS

pytestmark = pytest.mark.django_db

MAX_DEPTH = 4  # clicks from the home page
PER_PATTERN = 3  # URLs fetched per resolver route × query keys
MAX_REDIRECTS = 5
LOGIN_PATH = "/dang-nhap/"
SKIP_PREFIXES = ("/i18n/", "/quan-tri/", "/dang-xuat/")
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
HOSTS = ("", "testserver")
# the demo accounts of the README's table (hoidong.hanoi2 … hoidong.hanoi9, made by the nominations demo
# part, hold the same role on the same unit as hoidong.hanoi)
ACCOUNTS = [u[0] for u in DEMO_USERS]
# Screens that take many seconds on the demo's large units (the eligibility of every member of a unit's
# subtree, about 20 s for LĐLĐ thành phố Hà Nội on SQLite): fetched once per module, by the first account
# that reaches them, instead of PER_PATTERN times per account. The permission matrix checks who may open them.
SLOW_URL_NAMES = {"commendations:unit"}


# ---------------------------------------------------------------------------------------------- parsing
class Page(HTMLParser):
    """What a page lets the user click: links (and hx-get), GET forms with their default submission, and
    the targets of POST forms, formaction buttons and hx-post."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # (href, htmx)
        self.get_forms: list[tuple[str, list[tuple[str, str]]]] = []  # (action, fields)
        self.post_targets: list[str] = []
        self.form: dict | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append((a["href"], False))
        if "hx-get" in a:
            self.links.append((a["hx-get"], True))
        for verb in ("hx-post", "hx-put", "hx-patch", "hx-delete"):
            if verb in a:
                self.post_targets.append(a[verb])
        if tag == "form":
            self.form = {
                "action": a.get("action", ""),
                "method": (a.get("method") or "get").lower(),
                "fields": [],
                "button": None,
            }
            if self.form["method"] == "post":
                self.post_targets.append(self.form["action"])
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self._button(a)
            elif kind in ("checkbox", "radio"):
                if name and "checked" in a:
                    self.form["fields"].append((name, a.get("value", "on")))
            elif name and kind not in ("file", "reset", "button"):
                self.form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._button(a)
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in a, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def _button(self, a):
        if a.get("formaction") and (a.get("formmethod") or self.form["method"]).lower() == "post":
            self.post_targets.append(a["formaction"])
        elif a.get("formaction"):
            self.get_forms.append((a["formaction"], []))  # its own submission, resolved later
        if self.form["button"] is None:
            self.form["button"] = (a.get("name"), a.get("value", ""))

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None and self.select is not None:
            value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
            if self.select["first"] is None:
                self.select["first"] = value
            if self.option["selected"]:
                self.select["chosen"].append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            if self.form is not None:
                chosen = self.select["chosen"]
                if not self.select["multiple"]:
                    chosen = chosen[-1:] or (
                        [self.select["first"]] if self.select["first"] is not None else []
                    )
                self.form["fields"] += [(self.select["name"], v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.form is not None:
                self.form["fields"].append((self.textarea[0], self.textarea[1].strip("\n")))
            self.textarea = None
        elif tag == "form" and self.form is not None:
            if self.form["method"] == "get":
                fields = list(self.form["fields"])
                name, value = self.form["button"] or (None, "")
                if name:
                    fields.append((name, value))
                self.get_forms.append((self.form["action"], fields))
            self.form = None


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


# ---------------------------------------------------------------------------------------------- crawling
@dataclass
class Visit:
    url: str
    depth: int
    parent: Visit | None
    how: str  # "lien kết", "htmx", "biểu mẫu GET"
    htmx: bool = False

    def chain(self) -> str:
        steps, node = [], self
        while node is not None:
            steps.append(f"{node.url} ({node.how})" if node.parent else node.url)
            node = node.parent
        return " → ".join(reversed(steps))


@dataclass
class Result:
    fetched: int = 0
    downloads: int = 0
    post_targets: int = 0
    capped: int = 0
    failures: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)


def local(base: str, href: str) -> str | None:
    """The same-site path + query of `href` seen on `base`, or None when it is not to be followed."""
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(SKIP_SCHEMES):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in HOSTS:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def with_query(action: str, fields: list[tuple[str, str]]) -> str:
    parts = urlsplit(action)
    return parts.path + "?" + urlencode(fields) if fields else parts.path


def pattern(url: str) -> tuple:
    """(resolver route, sorted query keys); a slow screen's key is its URL name alone."""
    parts = urlsplit(url)
    keys = tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("?", parts.path, keys)
    if match.view_name in SLOW_URL_NAMES:
        return (match.view_name,)
    return (match.route, keys)


def skipped(url: str) -> bool:
    return urlsplit(url).path.startswith(SKIP_PREFIXES)


def fetch(client: Client, visit: Visit):
    """GET in a rolled-back savepoint, following redirects; (final response, final url, problem)."""
    url = visit.url
    headers = {"HX-Request": "true"} if visit.htmx else {}
    for _ in range(MAX_REDIRECTS + 1):
        with transaction.atomic():
            response = client.get(url, headers=headers)
            if response.streaming:
                b"".join(response.streaming_content)  # read to the end so the file is closed
            transaction.set_rollback(True)
        if response.status_code in (301, 302, 303, 307, 308):
            target = local(url, response["Location"])
            if target is None:
                return response, url, f"redirects off the site to {response['Location']}"
            if urlsplit(target).path == LOGIN_PATH:
                return response, url, f"redirects a signed-in user to the sign-in page ({target})"
            url = target
            continue
        if 200 <= response.status_code < 300:
            return response, url, None
        detail = f"answers {response.status_code}"
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            detail += f" — {response.exc_info[1]!r}"
        return response, url, detail
    return response, url, f"more than {MAX_REDIRECTS} redirects"


def is_download(response) -> bool:
    if response.streaming or "attachment" in response.get("Content-Disposition", ""):
        return True
    return not response.get("Content-Type", "").startswith("text/html")


def check_post_target(base: str, action: str) -> str | None:
    target = local(base, action) if action else urlsplit(base).path
    if target is None:
        return None
    path = urlsplit(target).path
    if path.startswith(("/i18n/", "/quan-tri/")):
        return None
    try:
        resolve(path)
    except Resolver404:
        return f"a button posts to {path}, which no URL answers"
    return None


def crawl(
    client: Client, start: str = "/", *, max_depth: int = MAX_DEPTH, slow_seen: set | None = None
) -> Result:
    """Breadth-first from `start`; `slow_seen` (shared between the accounts of a run) holds the slow
    screens already fetched."""
    result = Result()
    slow_seen = set() if slow_seen is None else slow_seen
    seen: set[str] = {start}
    per_pattern: dict[tuple, int] = {pattern(start): 1}
    checked_posts: set[str] = set()
    queue = deque([Visit(start, 0, None, "trang chủ")])

    def enqueue(url: str, parent: Visit, how: str, htmx: bool = False):
        if url in seen or skipped(url):
            return
        seen.add(url)
        if urlsplit(url).path.startswith("/static/"):
            if not finders.find(urlsplit(url).path.removeprefix("/static/")):
                result.failures.append(f"{parent.chain()} → {url}: no such static file")
            return
        key = pattern(url)
        if per_pattern.get(key, 0) >= PER_PATTERN or key in slow_seen:
            result.capped += 1
            return
        per_pattern[key] = per_pattern.get(key, 0) + 1
        if len(key) == 1:
            slow_seen.add(key)
        queue.append(Visit(url, parent.depth + 1, parent, how, htmx))

    while queue:
        visit = queue.popleft()
        began = time.monotonic()
        response, final, problem = fetch(client, visit)
        result.slowest = sorted([*result.slowest, (time.monotonic() - began, visit.url)], reverse=True)[:8]
        result.fetched += 1
        if problem:
            result.failures.append(f"{visit.chain()}: {problem}")
            continue
        if is_download(response):
            result.downloads += 1
            continue
        page = parse(response.content.decode(errors="replace"))
        for action in page.post_targets:
            key = f"{final}|{action}"
            if key in checked_posts:
                continue
            checked_posts.add(key)
            result.post_targets += 1
            if problem := check_post_target(final, action):
                result.failures.append(f"{visit.chain()}: {problem}")
        if visit.depth >= max_depth:
            continue
        for href, htmx in page.links:
            if (url := local(final, href)) is not None:
                enqueue(url, visit, "htmx" if htmx else "liên kết", htmx)
        for action, fields in page.get_forms:
            base = local(final, action) if action else urlsplit(final).path
            if base is not None:
                enqueue(with_query(base, fields), visit, "biểu mẫu GET")
    return result


# ---------------------------------------------------------------------------------------------- tests
SLOW_SEEN: set = set()  # shared by the accounts of one run (see SLOW_URL_NAMES)


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


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_link_and_button_within_four_clicks_answers(demo, username):
    user = User.objects.get(username=username)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    started = time.monotonic()
    result = crawl(client, slow_seen=SLOW_SEEN)
    print(
        f"crawl {username}: {result.fetched} pages ({result.downloads} downloads), "
        f"{result.post_targets} POST targets resolved, {result.capped} capped, "
        f"{time.monotonic() - started:.1f} s; slowest: "
        + ", ".join(f"{url} {seconds:.1f} s" for seconds, url in result.slowest)
    )
    assert result.fetched > 10, f"{username}: the crawl found almost nothing ({result.fetched} pages)"
    assert not result.failures, f"{username}: {len(result.failures)} failing:\n" + "\n".join(result.failures)


def test_the_crawler_reports_a_missing_page_a_missing_post_target_and_the_chain(demo, tree_free_client):
    """The crawl cannot pass by finding nothing: a dead link, a button to a missing URL and a forbidden
    page are each reported with the page that led there."""
    client = tree_free_client
    result = crawl(client, "/khong-co-trang-nay/")
    assert result.failures == ["/khong-co-trang-nay/: answers 404"]

    html = (
        '<main><a href="/khong-co/">x</a><a href="#top">top</a><a href="mailto:a@b.vn">m</a>'
        '<a href="https://example.com/">ngoài</a><a href="/quan-tri/">admin</a>'
        '<form method="post" action="/khong-co-nut/"><button>Gửi</button></form>'
        '<form method="get" action="/doan-vien/"><input name="q" value="an">'
        '<select name="nam"><option value="2023">2023</option><option value="2024" selected>2024</option>'
        '</select><input type="checkbox" name="x" value="1"><input type="checkbox" name="y" checked>'
        '<button name="tim" value="1">Tìm</button><button name="khac" value="2">Khác</button></form></main>'
    )
    page = parse(html)
    assert page.post_targets == ["/khong-co-nut/"]
    assert page.get_forms == [("/doan-vien/", [("q", "an"), ("nam", "2024"), ("y", "on"), ("tim", "1")])]
    followed = [local("/", href) for href, _ in page.links]
    assert followed == ["/khong-co/", None, None, None, "/quan-tri/"] and skipped("/quan-tri/")
    assert (
        check_post_target("/", "/khong-co-nut/") == "a button posts to /khong-co-nut/, which no URL answers"
    )
    assert check_post_target("/", "/dang-xuat/") is None

    # a member's chain to a page they may not open (the audit list needs audit.view)
    member = Client(raise_request_exception=False)
    member.force_login(User.objects.get(username="doanvien.myduc"))
    result = crawl(member, "/nhat-ky/", max_depth=0)
    assert result.failures == ["/nhat-ky/: answers 403"], result.failures


@pytest.fixture
def tree_free_client(demo):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="canbo.myduc"))
    return client
