from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<int:pk>/", views.unit_dashboard, name="dashboard"),
    path("don-vi/<int:pk>/xuat/<slug:key>.xlsx", views.table_export, name="export"),
    path("don-vi/<int:pk>/tong-hop-lai/", views.rebuild, name="rebuild"),
    path("don-vi/<int:pk>/bieu-khen-thuong.xlsx", views.award_form_export, name="award_form"),
]
urlpatterns += [
    path("don-vi/<int:pk>/tong-ket/", views.summary_docx, name="summary_docx"),
    path("don-vi/<int:pk>/tin-bai/", views.news, name="news"),
    path("don-vi/<int:pk>/tin-bai.txt", views.news_txt, name="news_txt"),
    path("don-vi/<int:pk>/tin-bai.docx", views.news_word, name="news_docx"),
]
