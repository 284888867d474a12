"""The interface is Vietnamese whatever the browser's language; English only when chosen in the footer."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(client):
    page = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Tên đăng nhập" in page and 'lang="vi"' in page


@pytest.mark.django_db
def test_the_language_switch_chooses_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/dang-nhap/").content.decode()
    assert 'lang="en"' in page


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert 'lang="vi"' in client.get("/dang-nhap/").content.decode()
