"""PDF from .docx with LibreOffice headless (`soffice --headless --convert-to pdf`)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    pass


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes, *, timeout: int = 120) -> bytes:
    binary = soffice_path()
    if binary is None:
        raise PdfUnavailable("Máy chủ chưa cài LibreOffice (soffice) nên chưa xuất được PDF.")
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(content)
        # a private profile per conversion: parallel conversions never share (and lock) one profile
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        result = Path(tmp) / "document.pdf"
        if not result.exists():
            raise PdfUnavailable("LibreOffice không tạo được tệp PDF.")
        return result.read_bytes()
