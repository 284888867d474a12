from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("phong-trao/<dbid:pk>/ke-hoach/", views.plan_page, name="plan"),
    path("phong-trao/<dbid:pk>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    path("phong-trao/<dbid:pk>/ke-hoach/tao-pdf/", views.plan_pdf, name="plan_pdf"),  # POST: a background job
    path("phong-trao/<dbid:pk>/cap-so/", views.plan_allocate, name="plan_allocate"),
]

# Giấy khen / Bằng khen on pre-printed blanks: print layouts per unit, certificates of a decision or a record
from . import views_certificates as certificates  # noqa: E402

urlpatterns += [
    path("mau-in/", certificates.layout_list, name="certificate_layouts"),
    path("mau-in/tao/", certificates.layout_create, name="certificate_layout_create"),
    path("mau-in/<dbid:pk>/", certificates.layout_edit, name="certificate_layout"),
    path("mau-in/<dbid:pk>/in-thu.pdf", certificates.layout_trial, name="certificate_layout_trial"),
    path(
        "quyet-dinh/<dbid:pk>/giay-khen.pdf", certificates.decision_certificates, name="decision_certificates"
    ),
    path("khen-thuong/<dbid:pk>/giay-khen.pdf", certificates.record_certificate, name="record_certificate"),
]

# Documents of the nominations workflow: a dossier's tờ trình and danh sách, council minutes, decisions
from . import views_nominations as nominations_docs  # noqa: E402

urlpatterns += [
    path("ho-so/<dbid:pk>/", nominations_docs.dossier_documents, name="dossier_documents"),
    path("ho-so/<dbid:pk>/cap-so/", nominations_docs.dossier_allocate, name="dossier_allocate"),
    path("ho-so/<dbid:pk>/<slug:doc>.<str:fmt>", nominations_docs.dossier_document, name="dossier_document"),
    path(
        "ho-so/<dbid:pk>/<slug:doc>/tao-pdf/",
        nominations_docs.dossier_document_pdf,
        name="dossier_document_pdf",
    ),
    path("hoi-dong/<dbid:pk>/bien-ban.<str:fmt>", nominations_docs.council_minutes, name="council_minutes"),
    path(
        "hoi-dong/<dbid:pk>/bien-ban/tao-pdf/",
        nominations_docs.council_minutes_pdf,
        name="council_minutes_pdf",
    ),
    path("hoi-dong/<dbid:pk>/cap-so/", nominations_docs.minutes_allocate, name="minutes_allocate"),
    path("quyet-dinh/<dbid:pk>.<str:fmt>", nominations_docs.decision_document, name="decision_document"),
    path(
        "quyet-dinh/<dbid:pk>/tao-pdf/", nominations_docs.decision_document_pdf, name="decision_document_pdf"
    ),
]
