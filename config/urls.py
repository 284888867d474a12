from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Quản trị thidua"
admin.site.site_title = "thidua"

urlpatterns = [
    path("", include("organizations.urls_home")),
    path("", include("accounts.urls")),
    path("don-vi/", include("organizations.urls")),
    path("don-vi/", include("clusters.urls")),
    path("doan-vien/", include("members.urls")),
    path("sang-kien/", include("initiatives.urls")),
    path("de-nghi/", include("nominations.urls")),
    path("phong-trao/", include("movements.urls")),
    path("khen-thuong/", include("commendations.urls")),
    path("bao-cao/", include("reports.urls")),
    path("van-ban/", include("documents.urls")),
    path("tep/", include("jobs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
