"""Emulation clusters (cụm, khối thi đua) and covenants, mounted under `don-vi/` next to the tree's pages
(`config/urls.py`), so the paths are those of the unit pages."""

from django.urls import path

from . import views

app_name = "clusters"
urlpatterns = [
    path("cum-thi-dua/", views.cluster_index, name="cluster_index"),
    path("<dbid:pk>/cum-thi-dua/", views.cluster_list, name="cluster_list"),
    path("<dbid:pk>/cum-thi-dua/them/", views.cluster_create, name="cluster_create"),
    path("<dbid:pk>/cum-thi-dua/sao-chep/", views.cluster_copy, name="cluster_copy"),
    path("cum-thi-dua/<dbid:pk>/", views.cluster_detail, name="cluster_detail"),
    path("cum-thi-dua/<dbid:pk>/sua/", views.cluster_edit, name="cluster_edit"),
    path("cum-thi-dua/<dbid:pk>/giao-uoc/", views.covenant_edit, name="covenant_edit"),
    path("cum-thi-dua/<dbid:pk>/giao-uoc/tai-ve/", views.covenant_download, name="covenant_download"),
    path("cum-thi-dua/<dbid:pk>/xep-hang/", views.cluster_rank, name="cluster_rank"),
]
