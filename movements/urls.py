from django.urls import path

from . import views

app_name = "movements"
urlpatterns = [
    path("", views.movement_list, name="list"),
    path("them/", views.movement_create, name="create"),
    path("danh-gia/", views.evaluation_grid, name="evaluations"),
    path("<dbid:pk>/", views.movement_detail, name="detail"),
    path("<dbid:pk>/phat-dong/", views.movement_launch, name="launch"),
    path("<dbid:pk>/tong-ket/", views.movement_close, name="close"),
    path("<dbid:pk>/dang-ky/", views.register_self, name="register"),
    path("<dbid:pk>/dang-ky-ho/", views.register_bulk, name="register_bulk"),
    path("<dbid:pk>/dang-ky-tap-the/", views.register_unit, name="register_unit"),
    path("<dbid:pk>/bao-cao/", views.progress_report, name="report"),
]
