"""PDF from .docx with LibreOffice headless (`soffice --headless --convert-to pdf`).

A conversion takes seconds (6–8 s under load), so it never runs inside a request: the screens start a
background job (`documents/builders.py`, `reports/builders.py`) and the job page offers the file. Every
failure — LibreOffice missing, crashed, timed out, or no output — is `PdfUnavailable` with a Vietnamese
message, which the builders turn into the job's error (`jobs.registry.BuildError`)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)


NOT_INSTALLED = "Máy chủ chưa cài LibreOffice (soffice) nên chưa xuất được PDF."


class PdfUnavailable(RuntimeError):
    """The PDF could not be made; the message is Vietnamese, for the user."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes, *, timeout: int = 120) -> bytes:
    binary = soffice_path()
    if binary is None:
        raise PdfUnavailable(NOT_INSTALLED)
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(content)
        # a private profile per conversion: parallel conversions never share (and lock) one profile
        profile = Path(tmp, "profile").as_uri()
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            logger.warning("soffice timed out after %s s", timeout)
            raise PdfUnavailable(
                f"LibreOffice chuyển sang PDF quá {timeout} giây nên đã dừng; vui lòng thử lại sau."
            ) from exc
        except subprocess.CalledProcessError as exc:
            logger.warning("soffice failed (%s): %s", exc.returncode, (exc.stderr or b"")[-2000:])
            raise PdfUnavailable(
                "LibreOffice gặp lỗi khi chuyển văn bản sang PDF; vui lòng thử lại sau hoặc tải bản .docx."
            ) from exc
        except OSError as exc:
            logger.warning("soffice could not be started: %s", exc)
            raise PdfUnavailable(
                "Không chạy được LibreOffice (soffice) trên máy chủ nên chưa xuất được PDF."
            ) from exc
        result = Path(tmp) / "document.pdf"
        if not result.exists():
            raise PdfUnavailable("LibreOffice không tạo được tệp PDF.")
        return result.read_bytes()
