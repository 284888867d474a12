from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<dbid:pk>/", views.detail, name="detail"),
    path("<dbid:pk>/truc-thuoc/", views.children, name="children"),
    path("<dbid:pk>/them-don-vi/", views.create_child, name="create_child"),
    path("<dbid:pk>/doi-ten/", views.rename, name="rename"),
    path("<dbid:pk>/dia-ban/", views.area, name="area"),
    path("tim-dia-ban/", views.area_search, name="area_search"),
    path("<dbid:pk>/chuyen/", views.move, name="move"),
    path("<dbid:pk>/sap-nhap/", views.merge, name="merge"),
    path("<dbid:pk>/giai-the/", views.dissolve, name="dissolve"),
    path("<dbid:pk>/hop-nhat/", views.consolidate, name="consolidate"),
    path("<dbid:pk>/chia-tach/", views.split, name="split"),
]
