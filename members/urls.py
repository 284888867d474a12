from django.urls import path

from . import views, views_roster, views_search

app_name = "members"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("them/", views.person_create, name="create"),
    path("<dbid:pk>/", views.person_detail, name="detail"),
    path("<dbid:pk>/sua/", views.person_edit, name="edit"),
    path("<dbid:pk>/cccd/", views.person_citizen_id, name="citizen_id"),
    path("<dbid:pk>/chuyen-sinh-hoat/", views.membership_transfer, name="transfer"),
    path("<dbid:pk>/thoi-sinh-hoat/", views.membership_end, name="end"),
    # the roster import is the framework's kind "doan-vien" (/nhap-du-lieu/doan-vien/…): old addresses redirect
    path("nhap/", views_roster.roster_upload, name="roster_upload"),
    path("nhap/mau.xlsx", views_roster.roster_template, name="roster_template"),
    path("xuat/", views_roster.roster_export, name="roster_export"),  # POST: starts the background job
    path("tim/", views_search.person_search, name="person_search"),
    path("tim-don-vi/", views_search.unit_search, name="unit_search"),
]
