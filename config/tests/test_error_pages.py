"""Vietnamese error pages that carry the view's own message (issue 12, finding 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, override_settings
from django.urls import path

from accounts.roles import Role
from config import urls as project_urls
from core.access import NOT_ALLOWED, NOT_FOUND


def _english_404(request):
    raise Http404("No OrgUnit matches the given query.")


def _vietnamese_403(request):
    raise PermissionDenied("Chỉ cán bộ của đơn vị cấp trên mới được duyệt hồ sơ này.")


def _boom(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("thu/404-en/", _english_404),
    path("thu/403-vi/", _vietnamese_403),
    path("thu/500/", _boom),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.mark.django_db
def test_403_page_shows_the_views_vietnamese_message(client, make_user, tree):
    client.force_login(make_user(Role.OFFICER, tree.md))  # no role.manage
    response = client.get("/tai-khoan/nguoi-dung/")
    body = response.content.decode()
    assert response.status_code == 403
    assert NOT_ALLOWED in body and "Không có quyền truy cập" in body and "Forbidden" not in body


@pytest.mark.django_db
def test_404_page_is_vietnamese_and_shows_the_views_message(client, make_user, tree):
    client.force_login(make_user(Role.ADMIN, tree.md))
    response = client.get("/tai-khoan/nguoi-dung/999999/dat-mat-khau/")
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()
    unknown = client.get("/khong-co-trang-nay/")
    body = unknown.content.decode()
    assert unknown.status_code == 404 and "Không tìm thấy trang" in body
    assert "requested resource" not in body and "URLconf" not in body  # Django's English, no patterns


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_djangos_english_messages_are_not_shown_but_vietnamese_ones_are(client, make_user, tree):
    client.force_login(make_user(Role.OFFICER, tree.md))
    english = client.get("/thu/404-en/").content.decode()
    assert "No OrgUnit" not in english and "Trang hoặc hồ sơ bạn tìm không tồn tại" in english
    vietnamese = client.get("/thu/403-vi/")
    assert vietnamese.status_code == 403
    assert "Chỉ cán bộ của đơn vị cấp trên mới được duyệt hồ sơ này." in vietnamese.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_vietnamese_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/thu/500/")
    body = response.content.decode()
    assert response.status_code == 500
    assert (
        "Hệ thống đang gặp sự cố" in body
        and "secret internal detail" not in body
        and "Server Error" not in body
    )


@pytest.mark.django_db
def test_csrf_failure_page_is_vietnamese(make_user, tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body
