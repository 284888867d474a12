"""The guide's links to screens (`templates/help/`): `{% guide_link "members:list" "Đoàn viên" "person.view" %}`
is a link where the user may open the screen and the screen's name alone where they may not, so no link
of the guide answers 403 (the four-click crawl, `core/tests/test_crawl.py`)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from core.access import can

register = template.Library()


@register.simple_tag(takes_context=True)
def guide_link(context, url_name: str, text: str, action: str = ""):
    user = context["request"].user
    if action and not can(user, action):
        return text
    return format_html('<a href="{}">{}</a>', reverse(url_name), text)
