"""Writes of the documents app: allocating document numbers (never reused)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.access import Action, require
from core.audit import audit_record
from core.exceptions import ServiceError
from nominations.choices import SessionState
from nominations.models import CouncilSession, Dossier
from organizations.abbreviations import issuer_abbreviation
from organizations.models import OrgUnit

from .models import DocumentKind, DocumentNumber


@transaction.atomic
def number_allocate(
    *, acting_user, issuer: OrgUnit, kind: str, title: str, issued_on: dt.date, subject=None
) -> DocumentNumber:
    """The next number of `issuer` for the year of `issued_on` (or the subject's existing number).

    The issuer's unit row is locked (SELECT … FOR UPDATE; SQLite transactions are IMMEDIATE), so two
    officers never get the same number; the unique constraint is the last guard. Numbers are never
    deleted, so a number is never given twice."""
    OrgUnit.objects.select_for_update().filter(pk=issuer.pk).first()
    subject_fields = {}
    if subject is not None:
        subject_fields = {
            "subject_type": ContentType.objects.get_for_model(subject),
            "subject_id": subject.pk,
        }
        existing = DocumentNumber.objects.filter(kind=kind, **subject_fields).first()
        if existing is not None:
            return existing
    year = issued_on.year
    last = DocumentNumber.objects.filter(issuer=issuer, year=year).aggregate(m=Max("sequence"))["m"] or 0
    number = DocumentNumber.objects.create(
        issuer=issuer,
        year=year,
        sequence=last + 1,
        kind=kind,
        issuer_code=issuer_abbreviation(issuer),
        title=title[:500],
        issued_on=issued_on,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        **subject_fields,
    )
    audit_record(
        actor=acting_user,
        action="document.number",
        obj=number,
        unit=issuer,
        summary=f"Cấp số văn bản {number.notation}: {title}"[:500],
    )
    return number


def decision_number_allocate(*, acting_user, issuer: OrgUnit, title: str, issued_on: dt.date, subject) -> int:
    """The award decision's number (`QĐ`) from `issuer`'s register: the allocator `nominations` calls in
    `decision_issue` (registered in `DocumentsConfig.ready` through `nominations.numbering`)."""
    number = number_allocate(
        acting_user=acting_user,
        issuer=issuer,
        kind=DocumentKind.QUYET_DINH,
        title=title,
        issued_on=issued_on,
        subject=subject,
    )
    return number.sequence


# --- certificate layouts (Giấy khen / Bằng khen on pre-printed blanks) -----------------------------------


class LayoutInvalid(ServiceError):
    """The layout's fields are not valid: `errors` maps each field key ("" for the layout) to its
    Vietnamese messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))


def _number(value, *, label: str, what: str, errors: list[str]) -> float | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, int | float):
        return float(value)
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        errors.append(f"Trường “{label}”: {what} phải là một số.")
        return None
    if number != number or number in (float("inf"), float("-inf")):  # NaN, infinity
        errors.append(f"Trường “{label}”: {what} phải là một số.")
        return None
    return number


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes", "co", "có"}
    return bool(value)


def certificate_fields_validate(*, fields: dict, paper: str) -> dict[str, dict]:
    """Clean the positions of a layout's fields for a paper size; raise `LayoutInvalid` naming each
    field in Vietnamese ("Trường “Họ và tên”: tọa độ X phải từ 0 đến 297 mm"). Missing fields take the
    default position of the paper; numbers may be written with a decimal comma."""
    from .certificates import ALIGNMENTS, FIELD_KEYS, FIELD_LABELS, MIN_WIDTH, SIZE_RANGE, default_fields
    from .models import PAPER_MM

    errors: dict[str, list[str]] = {}
    if paper not in PAPER_MM:
        errors[""] = ["Khổ giấy không hợp lệ: chọn A4 ngang, A4 dọc hoặc A3 ngang."]
        raise LayoutInvalid(errors)
    if not isinstance(fields, dict):
        raise LayoutInvalid({"": ["Vị trí các trường không hợp lệ."]})
    unknown = sorted(set(fields) - set(FIELD_KEYS))
    if unknown:
        errors[""] = [f"Trường không có trong mẫu in: {', '.join(unknown)}."]
    width, height = PAPER_MM[paper]
    defaults = default_fields(paper)
    cleaned: dict[str, dict] = {}
    for key in FIELD_KEYS:
        label = FIELD_LABELS[key]
        raw = fields.get(key)
        if raw is None:
            cleaned[key] = defaults[key]
            continue
        if not isinstance(raw, dict):
            errors[key] = [f"Trường “{label}”: vị trí không hợp lệ."]
            continue
        messages: list[str] = []
        raw = {**defaults[key], **raw}
        x = _number(raw["x"], label=label, what="tọa độ X", errors=messages)
        y = _number(raw["y"], label=label, what="tọa độ Y", errors=messages)
        w = _number(raw["w"], label=label, what="độ rộng", errors=messages)
        size = _number(raw["size"], label=label, what="cỡ chữ", errors=messages)
        if x is not None and not 0 <= x <= width:
            messages.append(f"Trường “{label}”: tọa độ X phải từ 0 đến {width:g} mm.")
            x = None
        if y is not None and not 0 <= y <= height:
            messages.append(f"Trường “{label}”: tọa độ Y phải từ 0 đến {height:g} mm.")
            y = None
        if w is not None and not MIN_WIDTH <= w <= width:
            messages.append(f"Trường “{label}”: độ rộng phải từ {MIN_WIDTH:g} đến {width:g} mm.")
            w = None
        if x is not None and w is not None and x + w > width + 1e-6:
            messages.append(
                f"Trường “{label}”: vùng in vượt mép phải tờ giấy (X + độ rộng = {x + w:g} mm, "
                f"tối đa {width:g} mm)."
            )
        if size is not None and not SIZE_RANGE[0] <= size <= SIZE_RANGE[1]:
            messages.append(f"Trường “{label}”: cỡ chữ phải từ {SIZE_RANGE[0]:g} đến {SIZE_RANGE[1]:g} pt.")
        if y is not None and size is not None and y - size * 0.3528 * 0.75 < 0:
            messages.append(f"Trường “{label}”: dòng chữ nhô ra ngoài mép trên tờ giấy (tăng tọa độ Y).")
        align = str(raw["align"]).strip().upper()
        if align not in ALIGNMENTS:
            messages.append(f"Trường “{label}”: căn lề phải là trái, giữa hoặc phải.")
        if messages:
            errors[key] = messages
            continue
        cleaned[key] = {
            "x": round(x, 1),
            "y": round(y, 1),
            "w": round(w, 1),
            "size": round(size, 1),
            "bold": _flag(raw["bold"]),
            "italic": _flag(raw["italic"]),
            "align": align,
            "show": _flag(raw["show"]),
        }
    if errors:
        raise LayoutInvalid(errors)
    return cleaned


def _layout_audit_fields(layout) -> dict:
    return {
        "name": layout.name,
        "paper": layout.paper,
        "issuer_text": layout.issuer_text,
        "signer_title": layout.signer_title,
        "signer_name": layout.signer_name,
        "fields": layout.fields,
    }


@transaction.atomic
def certificate_layout_create(*, acting_user, issuer: OrgUnit, award_type=None, name: str = "", paper: str):
    """A new layout for the unit (default positions of the paper); one per unit and award type."""
    from .certificates import default_fields
    from .models import PAPER_MM, CertificateLayout

    require(acting_user, Action.MOVEMENT_MANAGE, issuer.path)
    OrgUnit.objects.select_for_update().filter(pk=issuer.pk).first()
    if paper not in PAPER_MM:
        raise LayoutInvalid({"": ["Khổ giấy không hợp lệ: chọn A4 ngang, A4 dọc hoặc A3 ngang."]})
    if CertificateLayout.objects.filter(issuer=issuer, award_type=award_type).exists():
        what = f"“{award_type.name}”" if award_type else "chung của đơn vị"
        raise LayoutInvalid({"": [f"Đơn vị đã có mẫu in {what}: hãy sửa mẫu đó."]})
    name = " ".join((name or "").split())[:150] or (
        f"Mẫu in {award_type.name}" if award_type else "Mẫu in chung"
    )
    layout = CertificateLayout.objects.create(
        issuer=issuer,
        award_type=award_type,
        name=name,
        paper=paper,
        fields=default_fields(paper),
        updated_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    audit_record(
        actor=acting_user,
        action="certificate_layout.create",
        obj=layout,
        unit=issuer,
        summary=f"Tạo mẫu in giấy khen “{layout.name}” ({layout.get_paper_display()})"[:500],
    )
    return layout


@transaction.atomic
def certificate_layout_update(
    *,
    acting_user,
    layout,
    fields: dict,
    name: str | None = None,
    paper: str | None = None,
    issuer_text: str | None = None,
    signer_title: str | None = None,
    signer_name: str | None = None,
):
    """Save a layout's positions and texts, all or nothing: any invalid field raises `LayoutInvalid`
    (every error at once) before anything is written. One audit event with the changes."""
    from .models import CertificateLayout

    layout = CertificateLayout.objects.select_for_update().select_related("issuer").get(pk=layout.pk)
    require(acting_user, Action.MOVEMENT_MANAGE, layout.issuer.path)
    paper = layout.paper if paper is None else paper
    try:
        cleaned = certificate_fields_validate(fields=fields, paper=paper)
        problems: dict[str, list[str]] = {}
    except LayoutInvalid as exc:
        cleaned, problems = None, dict(exc.errors)
    texts = {
        "name": (name, 150, "Tên mẫu in"),
        "issuer_text": (issuer_text, 255, "Dòng cơ quan tặng"),
        "signer_title": (signer_title, 150, "Chức vụ người ký"),
        "signer_name": (signer_name, 150, "Họ tên người ký"),
    }
    values = {}
    for attr, (value, limit, label) in texts.items():
        if value is None:
            continue
        value = " ".join(str(value).split())
        if len(value) > limit:
            problems.setdefault("", []).append(f"“{label}” dài quá {limit} ký tự.")
        values[attr] = value
    if "name" in values and not values["name"]:
        problems.setdefault("", []).append("Hãy nhập tên mẫu in.")
    if problems:
        raise LayoutInvalid(problems)
    before = _layout_audit_fields(layout)
    for attr, value in values.items():
        setattr(layout, attr, value)
    layout.paper = paper
    layout.fields = cleaned
    layout.updated_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    layout.save()
    after = _layout_audit_fields(layout)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    audit_record(
        actor=acting_user,
        action="certificate_layout.update",
        obj=layout,
        unit=layout.issuer,
        summary=f"Sửa mẫu in giấy khen “{layout.name}”"[:500],
        changes=changes,
    )
    return layout


# --- numbers of the nominations documents (tờ trình, biên bản) -------------------------------------


def minutes_number_allocate(*, acting_user, session: CouncilSession, issued_on: dt.date | None = None):
    """Give a closed session's minutes their number in the council's unit register (or return the one
    they have): a reviewer of the session's unit only."""
    from .nominations_docs.common import COUNCIL

    require(acting_user, Action.NOMINATION_REVIEW, session.unit.path)
    if session.state != SessionState.CLOSED:
        raise ServiceError("Phiên họp chưa kết thúc bỏ phiếu: chưa cấp số biên bản được.")
    return number_allocate(
        acting_user=acting_user,
        issuer=session.unit,
        kind=DocumentKind.BIEN_BAN,
        title=f"Biên bản họp {COUNCIL} “{session.title}”",
        issued_on=issued_on or session.held_on,
        subject=session,
    )


def dossier_number_allocate(*, acting_user, dossier: Dossier, issued_on: dt.date | None = None):
    """Give the dossier's tờ trình its number in the proposing unit's register (or return the one it
    has): an officer of the proposing unit only."""
    from .nominations_docs.dossier import to_trinh_summary

    require(acting_user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path)
    return number_allocate(
        acting_user=acting_user,
        issuer=dossier.proposing_unit,
        kind=DocumentKind.TO_TRINH,
        title=f"Tờ trình {to_trinh_summary(dossier).replace('V/v', 'về việc', 1)}",
        issued_on=issued_on or timezone.localdate(),
        subject=dossier,
    )
