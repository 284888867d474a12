"""Test helpers: the action links and forms a page renders, filled with minimal data, followed without
keeping what they did — for the tests that no rendered action ends in 403 (issue 11)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction


class Actions(HTMLParser):
    """Links and forms inside <main>: each form with its fields and its submit buttons."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.form: dict | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.depth += 1
        if not self.depth:
            return
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self.form.update(fields={}, files=[], buttons=[])
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind, name = a.get("type", "text"), a.get("name")
            if kind == "submit":
                self.form["buttons"].append((name, a.get("value", "")))
            elif kind == "file":
                self.form["files"].append(name)
            elif name and kind not in ("checkbox", "radio"):
                self.form["fields"][name] = a.get("value", "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form["buttons"].append((a.get("name"), a.get("value", "")))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.form["fields"][self.textarea] = ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and a.get("value") and self.select not in self.form["fields"]:
            self.form["fields"][self.select] = a["value"]

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form["fields"][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        elif tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


DEFAULTS = {"reason": "Đồng ý", "signer_name": "Khuất Văn Thành", "text": "Ý kiến"}  # empty required fields


def rendered_actions(html: str):
    parser = Actions()
    parser.feed(html)
    return parser.links, [f for f in parser.forms if f["method"] == "post"]


def submissions(form):
    data = {k: v.strip() or DEFAULTS.get(k, "") for k, v in form["fields"].items()}
    data.pop("csrfmiddlewaretoken", None)
    for name in form["files"]:
        data[name] = SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 test")
    for name, value in form["buttons"] or [(None, "")]:
        yield {**data, **({name: value} if name else {})}


def in_rollback(function):
    """Follow an action without keeping what it did: the next user sees the dossier unchanged."""
    with transaction.atomic():
        result = function()
        transaction.set_rollback(True)
    return result


def follow_rendered(client, html: str, label) -> int:
    """GET every link and POST every form (each submit button) rendered in <main>; none may answer 403
    or 404, and no form may come back with an error message. Returns how many were followed."""
    from django.contrib.messages import constants, get_messages

    links, forms = rendered_actions(html)
    followed = 0
    for link in sorted(set(links)):
        response = client.get(link)
        assert response.status_code not in (403, 404), (label, link)
        followed += 1
    for form in forms:
        for data in submissions(form):

            def post(form=form, data=data):
                return client.post(form["action"], data)

            response = in_rollback(post)
            assert response.status_code not in (403, 404), (label, form["action"], data)
            errors = [m.message for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]
            assert not errors, (label, form["action"], data, errors)
            followed += 1
    return followed
