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
    SPLIT_MAX,
    UnitAreaForm,
    UnitConsolidateForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
    UnitSplitForm,
)
from .hooks import merge_preview
from .models import OrgUnit
from .selectors import (
    figures_year,
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
        {
            "query": query,
            "results": results,
            "nodes": [(u, (counts or {}).get(u.pk, 0)) for u in roots],
            "figures_missing": counts is None,
            "figures_year": figures_year(),
        },
    )


@login_required
def children(request, pk):
    """htmx partial: the children of a unit, each with its subtree member count (pre-rolled counters)."""
    unit = get_unit_or_404(request, pk)
    kids = orgunit_children(user=request.user, unit=unit)
    counts = subtree_member_counts(units=kids) or {}  # the tree page says when the year is not built
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
    form = UnitMoveForm(request.POST or None, parents=parents, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.orgunit_move(acting_user=request.user, unit=unit, **form.cleaned_data)
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


@login_required
def consolidate(request, pk):
    """Hợp nhất: this unit and the units chosen with it become a new unit. The form, then (POST) the
    confirmation list per unit, then (POST with `xac_nhan`) the consolidation and the new unit's page."""
    unit = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    if unit.depth <= 1 or unit.valid_to is not None:
        raise PermissionDenied("Đơn vị này không thể hợp nhất.")
    ancestors = unit.ancestor_paths()
    others = (
        _manageable_units(request, unit)
        .filter(unit_type__rank=unit.unit_type.rank)
        .exclude(path__in=ancestors)
        .select_related("unit_type")
    )
    parents = _manageable_units(request, unit).filter(unit_type__rank__lt=unit.unit_type.rank)
    parent = OrgUnit.objects.get_parent(unit)
    form = UnitConsolidateForm(
        request.POST or None,
        others=others,
        parents=parents,
        initial={
            "parent": parent.pk if parent else None,
            "unit_type": unit.unit_type_id,
            "on": timezone.localdate(),
        },
    )
    title = f"Hợp nhất {unit.name} với đơn vị khác"
    template = "organizations/consolidate.html"
    if request.method == "POST" and "sua" in request.POST:
        form.is_valid()
        return _form_page(request, unit, form, title, template=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sources = [unit, *data["others"]]
        values = {k: v for k, v in data.items() if k != "others"}
        try:
            if "xac_nhan" in request.POST:
                new = services.orgunit_consolidate(acting_user=request.user, sources=sources, **values)
                messages.success(
                    request,
                    f"Đã hợp nhất {len(sources)} đơn vị thành “{new.name}” từ ngày {data['on']:%d/%m/%Y}.",
                )
                return redirect("organizations:detail", new.pk)
            services.consolidate_check(sources=sources, parent=data["parent"], on=data["on"])
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            new = OrgUnit(name=data["name"])  # not created yet: the previews only read its name
            return _form_page(
                request,
                unit,
                form,
                title,
                template="organizations/consolidate_preview.html",
                groups=[(source, merge_preview(source, new, data["on"])) for source in sources],
                values=form.as_hidden_values(),
                data=data,
                sources=sources,
            )
    return _form_page(request, unit, form, title, template=template)


def _split_count(request) -> int:
    try:
        count = int(request.POST.get("so_phan") or request.GET.get("so_phan") or 2)
    except ValueError:
        count = 2
    return max(2, min(SPLIT_MAX, count))


@login_required
def split(request, pk):
    """Chia tách: the unit becomes 2–5 new units under its parent. The form (a button adds a new unit),
    then (POST) the confirmation list, then (POST with `xac_nhan`) the split and the parent's page."""
    unit = get_unit_or_404(request, pk, Action.UNIT_MANAGE)
    if not _may_dissolve(request.user, unit):
        raise PermissionDenied("Chỉ cấp trên trực tiếp của đơn vị mới được chia tách đơn vị.")
    count = _split_count(request)
    title = f"Chia tách {unit.name}"
    template = "organizations/split.html"
    initial = {"on": timezone.localdate(), "members_to": "0"}
    for i in range(1, SPLIT_MAX + 1):
        initial[f"part{i}_unit_type"] = unit.unit_type_id
    if request.method == "POST" and ("them_phan" in request.POST or "bot_phan" in request.POST):
        count = max(2, min(SPLIT_MAX, count + (1 if "them_phan" in request.POST else -1)))
        form = UnitSplitForm(unit=unit, count=count, initial={**initial, **request.POST.dict()})
        return _form_page(request, unit, form, title, template=template, count=count, max_count=SPLIT_MAX)
    form = UnitSplitForm(request.POST or None, unit=unit, count=count, initial=initial)
    extra = {"count": count, "max_count": SPLIT_MAX}
    if request.method == "POST" and "sua" in request.POST:
        form.is_valid()
        return _form_page(request, unit, form, title, template=template, **extra)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            if "xac_nhan" in request.POST:
                parts = services.orgunit_split(acting_user=request.user, unit=unit, **values)
                messages.success(
                    request,
                    f"Đã chia tách “{unit.name}” thành {len(parts)} đơn vị từ ngày {values['on']:%d/%m/%Y}.",
                )
                return redirect("organizations:detail", OrgUnit.objects.get_parent(unit).pk)
            services.split_check(
                unit=unit,
                parts=values["parts"],
                assignments=values["assignments"],
                members_to=values["members_to"],
                on=values["on"],
            )
        except ServiceError as error:
            _apply_service_error(form, error)
        else:
            parts = [OrgUnit(name=p["name"]) for p in values["parts"]]  # not created yet
            heir = parts[values["members_to"]]
            moves = [
                f"Chuyển “{child.name}” sang trực thuộc “{parts[values['assignments'][child.pk]].name}”"
                for child in form.children
            ]
            sections = [("Đơn vị trực thuộc", moves)] + merge_preview(unit, heir, values["on"])[1:]
            return _form_page(
                request,
                unit,
                form,
                title,
                template="organizations/split_preview.html",
                sections=sections,
                parts=values["parts"],
                values=form.as_hidden_values(),
                data=values,
            )
    return _form_page(request, unit, form, title, template=template, **extra)
