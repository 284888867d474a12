"""The one way a screen hands over a generated file: bytes, a file name (Vietnamese letters allowed —
RFC 6266/5987 encoding by Django), the content type from the extension, as an attachment or inline."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
TYPES = {"xlsx": XLSX, "docx": DOCX, "pdf": PDF, "txt": "text/plain; charset=utf-8"}


def file_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    response = HttpResponse(content, content_type=TYPES.get(extension, "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
