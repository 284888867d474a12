"""Certificate pages: a unit's print layouts (list, edit, trial print) and the certificates of a decision or
of one award record (PDF). Thin: the logic is in `certificates`, the writes in `services`.

Permissions: layouts are managed with `movement.manage` on the issuing unit (the action of the unit's
documents, as for the launch plan); the certificates of a decision or a record are printed by whoever
holds it on the issuing unit, and a member downloads the certificate of their own (valid) award. Anything
outside the user's scope is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commendations.choices import RecordStatus
from commendations.models import AwardRecord, AwardType
from core.access import Action, can, get_visible_or_404
from core.downloads import file_response
from nominations.models import Decision
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors, orgunit_roots
from organizations.shortcuts import get_unit_or_404

from . import services
from .certificates import (
    ALIGNMENTS,
    FIELD_KEYS,
    FIELDS,
    default_fields,
    layout_positions,
    record_page,
    render_pdf,
    sample_page,
)
from .models import CertificateLayout, PaperSize
from .selectors import (
    certificate_layout_for,
    certificate_layouts,
    certificate_records_context,
    decision_for_record,
)

ACTION = Action.MOVEMENT_MANAGE
NUMBER_PARTS = ("x", "y", "w", "size")
FLAG_PARTS = ("bold", "italic", "show")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename, inline=True)


def _trial(request) -> bool:
    return request.GET.get("thu") == "1"


def _layout(request, pk) -> CertificateLayout:
    return get_visible_or_404(
        CertificateLayout.objects.select_related("issuer__unit_type", "award_type"),
        request.user,
        ACTION,
        not_found="Không tìm thấy mẫu in hoặc bạn không có quyền.",
        pk=pk,
    )


def _award_types(unit: OrgUnit):
    """Awards the unit may confer (its type is among the conferring types), for a new layout."""
    return AwardType.objects.filter(active=True, conferring_unit_types=unit.unit_type_id).order_by(
        "position", "code"
    )


@login_required
def layout_list(request):
    user = request.user
    if not can(user, ACTION):
        raise PermissionDenied("Bạn không có quyền quản lý mẫu in giấy khen.")
    if request.GET.get("don_vi", "").isdigit():
        unit = get_unit_or_404(request, request.GET["don_vi"], action=ACTION)
    else:
        roots = orgunit_roots(user=user, action=ACTION)
        unit = roots[0] if roots else None
    layouts = list(certificate_layouts(user=user, unit=unit))
    taken = {layout.award_type_id for layout in layouts if unit and layout.issuer_id == unit.pk}
    return render(
        request,
        "documents/certificate_layouts.html",
        {
            "unit": unit,
            "layouts": layouts,
            "award_types": [a for a in _award_types(unit) if a.pk not in taken] if unit else [],
            "has_default": None in taken,
            "papers": PaperSize.choices,
        },
    )


@login_required
@require_POST
def layout_create(request):
    if not request.POST.get("don_vi", "").isdigit():
        raise Http404("Hãy chọn đơn vị.")
    unit = get_unit_or_404(request, request.POST["don_vi"], action=ACTION)
    award_type = None
    if request.POST.get("danh_hieu", "").isdigit():
        award_type = _award_types(unit).filter(pk=request.POST["danh_hieu"]).first()
        if award_type is None:
            raise Http404("Không tìm thấy danh hiệu, hình thức khen thưởng.")
    try:
        layout = services.certificate_layout_create(
            acting_user=request.user,
            issuer=unit,
            award_type=award_type,
            name=request.POST.get("ten", ""),
            paper=request.POST.get("kho_giay", PaperSize.A4_LANDSCAPE),
        )
    except services.LayoutInvalid as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('documents:certificate_layouts')}?don_vi={unit.pk}")
    messages.success(request, f"Đã tạo mẫu in “{layout.name}” với vị trí mặc định.")
    return redirect("documents:certificate_layout", pk=layout.pk)


def _posted_fields(post) -> dict[str, dict]:
    return {
        key: {
            **{part: post.get(f"{key}-{part}", "") for part in NUMBER_PARTS},
            "align": post.get(f"{key}-align", ""),
            **{part: post.get(f"{key}-{part}") == "1" for part in FLAG_PARTS},
        }
        for key in FIELD_KEYS
    }


def _shown(pos: dict) -> dict:
    """Numbers as the officer writes them: 30, 35.5 (posted strings are shown as typed)."""
    return {
        part: f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else value
        for part, value in pos.items()
    }


def _rows(positions: dict, errors: dict) -> list[dict]:
    positions = {key: _shown(pos) for key, pos in positions.items()}
    return [
        {"spec": spec, "pos": positions.get(spec.key, {}), "errors": errors.get(spec.key, [])}
        for spec in FIELDS
    ]


@login_required
def layout_edit(request, pk):
    layout = _layout(request, pk)
    errors: dict[str, list[str]] = {}
    positions = layout_positions(layout)
    values = {
        "name": layout.name,
        "paper": layout.paper,
        "issuer_text": layout.issuer_text,
        "signer_title": layout.signer_title,
        "signer_name": layout.signer_name,
    }
    if request.method == "POST":
        values = {attr: request.POST.get(attr, "") for attr in values}
        reset = "mac_dinh" in request.POST
        fields = (
            default_fields(values["paper"]) if reset and values["paper"] in dict(PaperSize.choices) else None
        )
        positions = fields or _posted_fields(request.POST)
        try:
            services.certificate_layout_update(
                acting_user=request.user, layout=layout, fields=positions, **values
            )
        except services.LayoutInvalid as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                "Đã đặt lại vị trí mặc định theo khổ giấy."
                if reset
                else "Đã lưu vị trí các trường của mẫu in.",
            )
            return redirect("documents:certificate_layout", pk=layout.pk)
    return render(
        request,
        "documents/certificate_layout_edit.html",
        {
            "layout": layout,
            "values": values,
            "rows": _rows(positions, errors),
            "errors": errors,
            "all_errors": [message for messages_ in errors.values() for message in messages_],
            "papers": PaperSize.choices,
            "alignments": ALIGNMENTS.items(),
        },
    )


@login_required
def layout_trial(request, pk):
    """The layout on sample data: the trial print by default (`?thu=0`: the fields only)."""
    layout = _layout(request, pk)
    page = sample_page(layout, ancestors=orgunit_ancestors(units=[layout.issuer]), today=timezone.localdate())
    trial = request.GET.get("thu", "1") != "0"
    name = f"{'in-thu-' if trial else ''}mau-in-{layout.pk}.pdf"
    return _pdf(render_pdf([(layout, page)], trial=trial, title=layout.name), name)


def _record_queryset():
    return AwardRecord.objects.select_related(
        "person", "unit__unit_type", "scope_unit__unit_type", "issuing_unit__unit_type", "award_type"
    )


def _pages(records: list[AwardRecord], *, decision=None) -> list:
    memberships, ancestors = certificate_records_context(records=records)
    layouts_by_issuer: dict[int, list] = {}
    for layout in CertificateLayout.objects.filter(
        issuer_id__in={r.issuing_unit_id for r in records}
    ).select_related("issuer", "award_type"):
        layouts_by_issuer.setdefault(layout.issuer_id, []).append(layout)
    pages = []
    for record in records:
        layout = certificate_layout_for(
            issuer=record.issuing_unit,
            award_type=record.award_type,
            layouts=layouts_by_issuer.get(record.issuing_unit_id, []),
        )
        page = record_page(
            record,
            layout=layout,
            decision=decision,
            membership=memberships.get(record.person_id),
            ancestors=ancestors,
        )
        pages.append((layout, page))
    return pages


def _printable(request, queryset, pk):
    """A decision or award record whose certificates the user may print: one they may see, issued by a
    unit where they hold the printing right (403 without it anywhere, 404 otherwise)."""
    if not can(request.user, ACTION):
        raise PermissionDenied("Bạn không có quyền in giấy khen.")
    obj = queryset.filter(pk=pk).restrict(request.user, Action.UNIT_VIEW).first()
    if obj is None or not can(request.user, ACTION, obj.issuing_unit.path):
        raise Http404("Không tìm thấy hoặc bạn không có quyền in.")
    return obj


@login_required
def decision_certificates(request, pk):
    """The certificates of every (valid) award record of a decision, one page each."""
    decision = _printable(request, Decision.objects.select_related("issuing_unit"), pk)
    records = list(
        _record_queryset()
        .filter(pk__in=decision.award_records.values("pk"), status=RecordStatus.VALID)
        .order_by("award_type__position", "award_type__code", "unit_id", "person__sort_key", "id")
    )
    if not records:
        raise Http404("Quyết định không có khen thưởng nào còn hiệu lực để in.")
    trial = _trial(request)
    content = render_pdf(_pages(records, decision=decision), trial=trial, title=str(decision))
    return _pdf(content, f"{'in-thu-' if trial else ''}giay-khen-quyet-dinh-{decision.pk}.pdf")


def _own_record(request, pk) -> AwardRecord | None:
    """The user's own award record (a member downloads the certificate of their own award from "Trang
    của tôi" without any printing right), or None."""
    person_id = getattr(request.user, "person_id", None)
    if not person_id:
        return None
    return (
        _record_queryset().restrict(request.user, Action.UNIT_VIEW).filter(pk=pk, person_id=person_id).first()
    )


@login_required
def record_certificate(request, pk):
    record = _own_record(request, pk) or _printable(request, _record_queryset(), pk)
    if record.status != RecordStatus.VALID:
        raise Http404("Khen thưởng đã bị thu hồi: không in giấy khen.")
    trial = _trial(request)
    content = render_pdf(
        _pages([record], decision=decision_for_record(record=record)), trial=trial, title=str(record)
    )
    return _pdf(content, f"{'in-thu-' if trial else ''}giay-khen-{record.pk}.pdf")


def may_print(user, record: AwardRecord) -> bool:
    """For templates of other apps: may the user print this record's certificate?"""
    return can(user, ACTION, record.issuing_unit.path)
