from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("them/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/sua/", views.person_edit, name="edit"),
    path("<int:pk>/chuyen-sinh-hoat/", views.membership_transfer, name="transfer"),
    path("<int:pk>/thoi-sinh-hoat/", views.membership_end, name="end"),
]
