"""The site's root pages, owned by organizations (they show the user's units); included at "" by
`config/urls.py`. The namespace stays "core" so the names `core:home` and `core:audit` (base template,
`LOGIN_REDIRECT_URL`) did not change when the views left the kernel."""

from django.urls import path

from . import views_home

app_name = "core"
urlpatterns = [
    path("", views_home.home, name="home"),
    path("nhat-ky/", views_home.audit_list, name="audit"),
]
