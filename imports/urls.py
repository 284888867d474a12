from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/tai-len/", views.upload, name="upload"),
    path("<slug:kind>/mau.xlsx", views.template, name="template"),
    path("lan/<dbid:pk>/", views.status, name="status"),
    path("lan/<dbid:pk>/cot/", views.mapping, name="mapping"),
    path("lan/<dbid:pk>/kiem-tra/", views.preview, name="preview"),
    path("lan/<dbid:pk>/tep-kiem-tra.xlsx", views.error_file, name="error_file"),
    path("lan/<dbid:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("lan/<dbid:pk>/ghi/", views.commit, name="commit"),
]
