"""The signed-in floor page (core.views_session): the user's name for a session, the login page without
one, and no query beyond the session and the user."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_gets_their_name_in_two_queries(officer_client, officer):
    officer_client.get(reverse("session_check"))  # the first request may refresh the session
    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get(reverse("session_check"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == f"Đã đăng nhập: {officer.username}\n"
    tables = {
        q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries if " FROM " in q["sql"]
    }
    assert tables <= {'"django_session"', '"accounts_user"'}, tables


def test_without_a_session_it_sends_to_the_login_page(client):
    response = client.get(reverse("session_check"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
