"""A urlconf for the test of the permission-matrix test: the project's URLs plus one new screen that has
no matrix entry (`test_a_url_added_without_an_entry_is_reported`)."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns


def new_screen(request):
    return HttpResponse("Màn hình mới chưa có trong ma trận phân quyền")


extra_patterns = ([path("", new_screen, name="new_screen")], "matrix_extra")

urlpatterns = [*project_urlpatterns, path("man-hinh-moi/", include(extra_patterns))]
