from django.urls import path

from . import views, views_council, views_council_seats, views_notifications, views_posting

app_name = "nominations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("lap/", views.dossier_create, name="create"),
    path("han-nop/", views.deadlines, name="deadlines"),
    path("<dbid:pk>/", views.dossier_detail, name="detail"),
    path("<dbid:pk>/de-nghi/", views.item_add, name="item_add"),
    path("<dbid:pk>/de-nghi/<dbid:item_pk>/", views.item_edit, name="item_edit"),
    path("<dbid:pk>/de-nghi/<dbid:item_pk>/bo/", views.item_remove, name="item_remove"),
    path("<dbid:pk>/tai-lieu/", views.document_add, name="document_add"),
    path("<dbid:pk>/tai-lieu/<dbid:doc_pk>/", views.document_download, name="document"),
    path("<dbid:pk>/tai-lieu/<dbid:doc_pk>/thay/", views.document_replace, name="document_replace"),
    path("<dbid:pk>/xu-ly/", views.dossier_action, name="action"),
    path("<dbid:pk>/y-kien/<dbid:comment_pk>/", views_posting.comment_moderate, name="comment_moderate"),
    path("<dbid:pk>/ket-thuc-cong-khai/", views_posting.posting_close, name="posting_close"),
    path("hoi-dong/mo/", views_council.session_open, name="session_open"),
    path("hoi-dong/thanh-vien/", views_council_seats.council_members, name="council_members"),
    path("hoi-dong/thanh-vien/them/", views_council_seats.council_member_add, name="council_member_add"),
    path(
        "hoi-dong/thanh-vien/<dbid:pk>/ket-thuc/",
        views_council_seats.council_member_end,
        name="council_member_end",
    ),
    path("hoi-dong/<dbid:pk>/", views_council.session_detail, name="session"),
    path("cong-khai/<slug:token>/", views_posting.public_posting, name="public"),
    path("thu-hoi/<dbid:pk>/", views.award_revoke, name="revoke"),
    path("thong-bao/", views_notifications.notification_list, name="notifications"),
    path("thong-bao/da-doc/", views_notifications.notification_mark_read, name="notifications_read"),
    path("thong-bao/<dbid:pk>/", views_notifications.notification_open, name="notification_open"),
]
