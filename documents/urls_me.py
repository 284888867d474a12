"""The member's own page, mounted at `/cua-toi/` by config/urls.py (URL name `me`)."""

from django.urls import path

from . import views_me

urlpatterns = [
    path("", views_me.me, name="me"),
]
