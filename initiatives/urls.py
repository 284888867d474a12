from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list_view, name="list"),
    path("dang-ky/", views.initiative_create, name="create"),
    path("tuong-tu/", views.initiative_similar_partial, name="similar"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/sua/", views.initiative_edit, name="edit"),
    path("<int:pk>/nop/", views.initiative_submit, name="submit"),
    path("<int:pk>/cham/", views.initiative_review, name="review"),
    path("<int:pk>/quyet-dinh/", views.initiative_decide, name="decide"),
]
