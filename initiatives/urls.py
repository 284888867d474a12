from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list_view, name="list"),
    path("dang-ky/", views.initiative_create, name="create"),
    path("tuong-tu/", views.initiative_similar_partial, name="similar"),
    path("<dbid:pk>/", views.initiative_detail, name="detail"),
    path("<dbid:pk>/sua/", views.initiative_edit, name="edit"),
    path("<dbid:pk>/nop/", views.initiative_submit, name="submit"),
    path("<dbid:pk>/cham/", views.initiative_review, name="review"),
    path("<dbid:pk>/quyet-dinh/", views.initiative_decide, name="decide"),
]
