from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("phong-trao/<int:pk>/ke-hoach/", views.plan_page, name="plan"),
    path("phong-trao/<int:pk>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    path("phong-trao/<int:pk>/ke-hoach.pdf", views.plan_pdf, name="plan_pdf"),
    path("phong-trao/<int:pk>/cap-so/", views.plan_allocate, name="plan_allocate"),
]
