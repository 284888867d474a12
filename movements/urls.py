from django.urls import path

from . import views

app_name = "movements"
urlpatterns = [
    path("", views.movement_list, name="list"),
    path("them/", views.movement_create, name="create"),
    path("danh-gia/", views.evaluation_grid, name="evaluations"),
    path("<int:pk>/", views.movement_detail, name="detail"),
    path("<int:pk>/phat-dong/", views.movement_launch, name="launch"),
    path("<int:pk>/tong-ket/", views.movement_close, name="close"),
    path("<int:pk>/dang-ky/", views.register_self, name="register"),
    path("<int:pk>/dang-ky-ho/", views.register_bulk, name="register_bulk"),
    path("<int:pk>/dang-ky-tap-the/", views.register_unit, name="register_unit"),
    path("<int:pk>/bao-cao/", views.progress_report, name="report"),
]
