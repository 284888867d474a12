from django.urls import path

from . import views

app_name = "commendations"

urlpatterns = [
    path("", views.index, name="index"),
    path("ca-nhan/<dbid:person_pk>/", views.person_eligibility, name="person"),
    path("don-vi/<dbid:unit_pk>/", views.unit_eligibility, name="unit"),
    path("so-khen-thuong/", views.records, name="records"),
    path("so-khen-thuong/them/", views.record_create, name="record_create"),
    path("bo-quy-tac/", views.rulesets, name="rulesets"),
    path("bo-quy-tac/<dbid:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("bo-quy-tac/<dbid:pk>/phien-ban-moi/", views.ruleset_new, name="ruleset_new"),
]
