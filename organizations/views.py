"""Organisation pages: tree browser, unit page, and the forms that call the tree services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.access import Action, can
from core.exceptions import ServiceError

from . import areas, panels, services
from .forms import (
    UnitAreaForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
)
from .hooks import merge_preview
from .models import OrgUnit
from .selectors import (
    orgunit_breadcrumbs,
    orgunit_children,
    orgunit_roots,
    orgunit_search,
    orgunit_stats,
    orgunit_visible,
    subtree_member_counts,
)
from .shortcuts import get_unit_or_404


def _require_view(request):
    if not can(request.user, Action.UNIT_VIEW):
        raise PermissionDenied("Bạn không có quyền xem danh sách đơn vị.")


@login_required
def tree(request):
    _require_view(request)
    query = request.GET.get("q", "").strip()
    results = orgunit_search(user=request.user, query=query) if query else None
    roots = [] if query else orgunit_roots(user=request.user)
    counts = subtree_member_counts(units=roots)
    return render(
        request,
        "organizations/tree.html",
        {"query": query, "results": results, "nodes": [(u, counts.get(u.pk, 0)) for u in roots]},
    )


@login_required
def children(request, pk):
    """htmx partial: the children of a unit, each with its subtree member count (2 queries)."""
    unit = get_unit_or_404(request, pk)
    kids = orgunit_children(user=request.user, unit=unit)
    counts = subtree_member_counts(units=kids)
    return render(
        request, "organizations/_tree_nodes.html", {"nodes": [(u, counts.get(u.pk, 0)) for u in kids]}
    )


@login_required
def detail(request, pk):
    """The unit page: its figures, then the parts the apps register (`organizations.panels`) in order."""
    unit = get_unit_or_404(request, pk)
    may_see_people = can(request.user, Action.PERSON_VIEW, unit.path)
    page = panels.UnitPage(
        user=request.user,
        unit=unit,
        children=orgunit_children(user=request.user, unit=unit),
        year=panels.figures_year(unit, request.GET.get("nam", "")),
        may_see_people=may_see_people,
    )
    main_panels = panels.panels(page, panels.MAIN)
    child_columns, child_rows = panels.child_columns(page)
    context = {
        "unit": unit,
        "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        "stats": orgunit_stats(unit=unit),
        "main_panels": main_panels,
        "child_columns": child_columns,
        "child_rows": child_rows,
        "side_panels": panels.panels(page, panels.SIDE),
        "may_see_people": may_see_people,
        "may_manage": can(request.user, Action.UNIT_MANAGE, unit.path),
        "may_dissolve": _may_dissolve(request.user, unit),
        "may_add_person": unit.unit_type.holds_members and can(request.user, Action.PERSON_CHANGE, unit.path),
        "may_audit": can(request.user, Action.AUDIT_VIEW, unit.path),
        "successor": unit.successor,
        "official_area": areas.get(unit.area_code),
        "area_successors": areas.successors(unit.area_code) if unit.area_code else [],
        "year": page.year,
        "may_evaluate": can(request.user, Action.EVALUATION_CHANGE, unit.path)
        and (unit.unit_type.holds_members or unit.unit_type.is_grassroots),
    }
    return render(request, "organizations/detail.html", context)


def _form_page(request, unit, form, title, template="organizations/form.html", **extra):
    return render(
        request,
        template,
        {
            "unit": unit,
            "form": form,
            "title": title,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
            **extra,
        },
    )


def _apply_service_error(form, error: ServiceError):
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


@login_required
def create_child(request, pk):
    parent = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.orgunit_create(acting_user=request.user, parent=parent, **form.cleaned_data)
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, f"Đã thành lập “{unit.name}”.")
            return redirect("organizations:detail", unit.pk)
    return _form_page(request, parent, form, f"Thêm đơn vị trực thuộc {parent.name}")


@login_required
def rename(request, pk):
    unit = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    form = UnitRenameForm(request.POST or None, initial={"name": unit.name, "short_name": unit.short_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.orgunit_rename(acting_user=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, "Đã đổi tên đơn vị. Tên cũ vẫn được lưu trong lịch sử.")
            return redirect("organizations:detail", unit.pk)
    return _form_page(request, unit, form, f"Đổi tên {unit.name}")


AREA_LIMIT = 20


@require_GET
@login_required
def area_search(request):
    """The area picker's search (`forms.AreaField`): at most 20 official administrative units, for any
    logged-in user (public reference data). GET `?truong=<field>&<field>_q=<text>` (or `q=`)."""
    field = request.GET.get("truong", "")
    text = request.GET.get(f"{field}_q", "") if field.isidentifier() and len(field) <= 40 else ""
    text = text or request.GET.get("q", "")
    found, more = areas.search_more(text, AREA_LIMIT)
    items = [
        {
            "pk": a.code,
            "label": a.label,
            "name": a.name,
            "birth_year": None,
            "where": a.province if a.current else f"{a.full_name.split(', ', 1)[-1]} — trước 01/07/2025",
        }
        for a in found
    ]
    return render(
        request,
        "members/_picker_results.html",
        {
            "items": items,
            "more": more,
            "searched": bool(text.strip()),
            "limit": AREA_LIMIT,
            "empty_text": "Không có đơn vị hành chính nào khớp: thử tên không dấu, hoặc thêm tên tỉnh, thành phố.",
        },
    )


@login_required
def area(request, pk):
    unit = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    form = UnitAreaForm(request.POST or None, initial={"area_code": unit.area_code})
    if request.method == "POST" and form.is_valid():
        try:
            services.orgunit_set_area(
                acting_user=request.user,
                unit=unit,
                area_code=form.cleaned_data["area_code"],
                # with no code chosen, a free-text area typed before the official list stays; a chosen
                # official name goes with its code
                area="" if unit.area_code else unit.area,
            )
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, "Đã cập nhật địa bàn của đơn vị.")
            return redirect("organizations:detail", unit.pk)
    return _form_page(request, unit, form, f"Địa bàn của {unit.name}")


def _manageable_units(request, unit):
    """Candidate units in the user's manage scope, excluding the unit's own subtree."""
    return (
        orgunit_visible(user=request.user, action=Action.UNIT_MANAGE)
        .exclude(path__startswith=unit.path)
        .filter(valid_to__isnull=True)
        .order_by("path")
    )


@login_required
def move(request, pk):
    unit = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    parents = _manageable_units(request, unit).exclude(unit_type__holds_members=True)
    form = UnitMoveForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.orgunit_move(
                acting_user=request.user,
                unit=unit,
                new_parent=form.cleaned_data["new_parent"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, "Đã chuyển đơn vị. Đoàn viên và lịch sử được giữ nguyên.")
            return redirect("organizations:detail", unit.pk)
    return _form_page(request, unit, form, f"Chuyển {unit.name} sang đơn vị khác")


@login_required
def merge(request, pk):
    unit = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    # a unit of the same level or a higher one, of any type (a district federation into the city's)
    targets = _manageable_units(request, unit).filter(unit_type__rank__lte=unit.unit_type.rank)
    form = UnitMergeForm(request.POST or None, targets=targets, initial={"merged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.orgunit_merge(
                acting_user=request.user,
                sources=[unit],
                target=form.cleaned_data["target"],
                merged_on=form.cleaned_data["merged_on"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, f"Đã sáp nhập “{unit.name}” vào “{target.name}”.")
            return redirect("organizations:detail", target.pk)
    return _form_page(request, unit, form, f"Sáp nhập {unit.name} vào đơn vị khác")


def _may_dissolve(user, unit) -> bool:
    """Dissolving is decided by the level above: `unit.manage` on the unit's parent."""
    return (
        unit.depth > 1 and unit.valid_to is None and can(user, Action.UNIT_MANAGE, unit.path[: -unit.steplen])
    )


@login_required
def dissolve(request, pk):
    """Giải thể: the form, then (POST) the confirmation list of what will happen, then (POST with
    `xac_nhan`) the dissolution and the successor's page."""
    unit = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    if not _may_dissolve(request.user, unit):
        raise PermissionDenied("Chỉ cấp trên trực tiếp của đơn vị mới được giải thể đơn vị.")
    parent = OrgUnit.objects.get_parent(unit)
    successors = _manageable_units(request, unit)
    form = UnitDissolveForm(
        request.POST or None,
        successors=successors,
        initial={"successor": parent.pk if parent else None, "on": timezone.localdate()},
    )
    title = f"Giải thể {unit.name}"
    if request.method == "POST" and "sua" in request.POST:  # back from the list: the form as filled in
        form.is_valid()
        return _form_page(request, unit, form, title, template="organizations/dissolve.html")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "xac_nhan" in request.POST:
                successor = services.orgunit_dissolve(acting_user=request.user, unit=unit, **data)
                messages.success(
                    request,
                    f"Đã giải thể “{unit.name}” từ ngày {data['on']:%d/%m/%Y}; "
                    f"“{successor.name}” là đơn vị kế thừa.",
                )
                return redirect("organizations:detail", successor.pk)
            services.dissolve_check(unit=unit, successor=data["successor"], on=data["on"])
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            return _form_page(
                request,
                unit,
                form,
                title,
                template="organizations/dissolve_preview.html",
                sections=merge_preview(unit, data["successor"], data["on"]),
                values=form.as_hidden_values(),
                data=data,
            )
    return _form_page(request, unit, form, title, template="organizations/dissolve.html")
