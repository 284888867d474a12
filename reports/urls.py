from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<dbid:pk>/", views.unit_dashboard, name="dashboard"),
    path("don-vi/<dbid:pk>/xuat/<slug:key>.xlsx", views.table_export, name="export"),
    path("don-vi/<dbid:pk>/tong-hop-lai/", views.rebuild, name="rebuild"),
    path("don-vi/<dbid:pk>/bieu-khen-thuong.xlsx", views.award_form_export, name="award_form"),
    path("don-vi/<dbid:pk>/phan-loai-doi-tuong/", views.subject_categories, name="subject_categories"),
]
urlpatterns += [
    path("don-vi/<dbid:pk>/tong-ket/", views.summary_docx, name="summary_docx"),
    path("don-vi/<dbid:pk>/tin-bai/", views.news, name="news"),
    path("don-vi/<dbid:pk>/tin-bai.txt", views.news_txt, name="news_txt"),
    path("don-vi/<dbid:pk>/tin-bai.docx", views.news_word, name="news_docx"),
]
