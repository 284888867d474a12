from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from core.views_session import session_check

# Vietnamese error pages that show the view's own message (core/views_errors.py)
handler400 = "core.views_errors.bad_request"
handler403 = "core.views_errors.permission_denied"
handler404 = "core.views_errors.page_not_found"
handler500 = "core.views_errors.server_error"

admin.site.site_header = "Quản trị thidua"
admin.site.site_title = "thidua"


def favicon(request):
    """Browsers (and Chromium's PDF viewer) ask for /favicon.ico whatever the page declares."""
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("kiem-tra-dang-nhap/", session_check, name="session_check"),
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
    path("cua-toi/", include("documents.urls_me")),  # a member's own page ("Trang của tôi")
    path("tep/", include("jobs.urls")),
    path("nhap-du-lieu/", include("imports.urls")),
    path("huong-dan/", include("core.urls_help")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
