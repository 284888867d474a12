from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("tao/", views.job_create, name="create"),
    path("<dbid:pk>/", views.job_detail, name="detail"),
    path("<dbid:pk>/tai-ve/", views.job_download, name="download"),
    path("<dbid:pk>/tao-lai/", views.job_retry, name="retry"),
]
