"""The user guide at /huong-dan/ (`core.views_help`)."""

from django.urls import path

from . import views_help

app_name = "help"
urlpatterns = [
    path("", views_help.help_index, name="index"),
    path("<slug:slug>/", views_help.help_page, name="page"),
]
