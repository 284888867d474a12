from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/truc-thuoc/", views.children, name="children"),
    path("<int:pk>/them-don-vi/", views.create_child, name="create_child"),
    path("<int:pk>/doi-ten/", views.rename, name="rename"),
    path("<int:pk>/chuyen/", views.move, name="move"),
    path("<int:pk>/sap-nhap/", views.merge, name="merge"),
]

# emulation clusters (cụm, khối thi đua) and covenants — organizations/cluster_views.py
from . import cluster_views  # noqa: E402

urlpatterns += [
    path("cum-thi-dua/", cluster_views.cluster_index, name="cluster_index"),
    path("<int:pk>/cum-thi-dua/", cluster_views.cluster_list, name="cluster_list"),
    path("<int:pk>/cum-thi-dua/them/", cluster_views.cluster_create, name="cluster_create"),
    path("<int:pk>/cum-thi-dua/sao-chep/", cluster_views.cluster_copy, name="cluster_copy"),
    path("cum-thi-dua/<int:pk>/", cluster_views.cluster_detail, name="cluster_detail"),
    path("cum-thi-dua/<int:pk>/sua/", cluster_views.cluster_edit, name="cluster_edit"),
    path("cum-thi-dua/<int:pk>/giao-uoc/", cluster_views.covenant_edit, name="covenant_edit"),
    path("cum-thi-dua/<int:pk>/giao-uoc/tai-ve/", cluster_views.covenant_download, name="covenant_download"),
    path("cum-thi-dua/<int:pk>/xep-hang/", cluster_views.cluster_rank, name="cluster_rank"),
]
