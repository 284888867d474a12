from django.urls import path

from . import views, views_roster

app_name = "members"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("them/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/sua/", views.person_edit, name="edit"),
    path("<int:pk>/chuyen-sinh-hoat/", views.membership_transfer, name="transfer"),
    path("<int:pk>/thoi-sinh-hoat/", views.membership_end, name="end"),
    path("nhap/", views_roster.roster_upload, name="roster_upload"),
    path("nhap/mau.xlsx", views_roster.roster_template, name="roster_template"),
    path("nhap/<int:pk>/", views_roster.roster_status, name="roster_status"),
    path("nhap/<int:pk>/cot/", views_roster.roster_mapping, name="roster_mapping"),
    path("nhap/<int:pk>/kiem-tra/", views_roster.roster_preview, name="roster_preview"),
    path("nhap/<int:pk>/tep-loi.xlsx", views_roster.roster_error_file, name="roster_error_file"),
    path("nhap/<int:pk>/ghi/", views_roster.roster_commit, name="roster_commit"),
    path("xuat.xlsx", views_roster.roster_export, name="roster_export"),
]
