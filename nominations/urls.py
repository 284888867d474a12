from django.urls import path

from . import views

app_name = "nominations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("lap/", views.dossier_create, name="create"),
    path("han-nop/", views.deadlines, name="deadlines"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/de-nghi/", views.item_add, name="item_add"),
    path("<int:pk>/de-nghi/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/tai-lieu/", views.document_add, name="document_add"),
    path("<int:pk>/xu-ly/", views.dossier_action, name="action"),
    path("<int:pk>/y-kien/<int:comment_pk>/", views.comment_moderate, name="comment_moderate"),
    path("hoi-dong/mo/", views.session_open, name="session_open"),
    path("hoi-dong/<int:pk>/", views.session_detail, name="session"),
    path("cong-khai/<int:pk>/", views.public_posting, name="public"),
    path("thu-hoi/<int:pk>/", views.award_revoke, name="revoke"),
]
