"""Member screens: list with filters and Vietnamese name order, detail (citizen ID masked), forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import Action, can
from core.exceptions import ServiceError
from core.forms import add_service_error
from core.pagination import paginate
from core.selectors import object_audit_events
from organizations.selectors import orgunit_ancestors, orgunit_breadcrumbs, orgunit_visible
from organizations.shortcuts import get_unit_or_404

from . import services
from .forms import (
    MembershipEditForm,
    MembershipEndForm,
    MembershipForm,
    MembershipTransferForm,
    PersonFilterForm,
    PersonForm,
)
from .models import Person
from .selectors import (
    PersonFilters,
    grassroots_of,
    person_current_membership,
    person_get,
    person_list,
    person_memberships,
    person_page_rows,
)
from .services.citizen_id import (
    VIA_EDIT_FORM,
    VIA_REVEAL,
    may_see_citizen_id,
    person_citizen_id_access,
    person_citizen_id_unit,
)


def _person_or_404(request, pk, action=Action.PERSON_VIEW) -> Person:
    """403 without the right anywhere (one's own record excepted), 404 outside the user's scope."""
    own = action == Action.PERSON_VIEW and request.user.person_id == pk
    if not own and not can(request.user, action):
        raise PermissionDenied("Bạn không có quyền xem thông tin đoàn viên.")
    try:
        return person_get(user=request.user, pk=pk, action=action)
    except Person.DoesNotExist as exc:
        raise Http404("Không tìm thấy đoàn viên hoặc bạn không có quyền xem.") from exc


@login_required
def person_list_view(request):
    if not can(request.user, Action.PERSON_VIEW):
        raise PermissionDenied("Bạn không có quyền xem danh sách đoàn viên.")
    unit = (
        get_unit_or_404(request, request.GET["don_vi"], Action.PERSON_VIEW)
        if request.GET.get("don_vi")
        else None
    )
    form = PersonFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    filters = PersonFilters(
        q=cleaned.get("q") or "",
        unit=unit,
        gender=cleaned.get("gioi_tinh") or "",
        union_role=cleaned.get("chuc_vu") or "",
        status=cleaned.get("trang_thai") or "current",
    )
    page = paginate(request, person_list(user=request.user, filters=filters))
    rows = person_page_rows(persons=list(page.object_list))
    return render(
        request,
        "members/list.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "unit": unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit) if unit else [],
            "may_add": unit is not None
            and unit.unit_type.holds_members
            and can(request.user, Action.PERSON_CHANGE, unit.path),
            "may_export": unit is not None,
        },
    )


@login_required
def person_detail(request, pk):
    person = _person_or_404(request, pk)
    memberships = person_memberships(person=person)
    current = next((m for m in memberships if m.ended_on is None), None)
    ancestors = orgunit_ancestors(units=[m.unit for m in memberships])
    history = [(m, grassroots_of(m.unit, ancestors)) for m in memberships]
    may_change = current is not None and can(request.user, Action.PERSON_CHANGE, current.unit.path)
    cccd_unit = current.unit if current else person_citizen_id_unit(person=person)
    return render(
        request,
        "members/detail.html",
        {
            "person": person,
            "current": current,
            "history": history,
            "may_change": may_change,
            "may_reveal": bool(person.citizen_id)
            and may_see_citizen_id(request.user, person=person, unit=cccd_unit),
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=current.unit) if current else [],
            "events": object_audit_events(user=request.user, obj=person, limit=20),
        },
    )


def _units_for_change(request):
    return (
        orgunit_visible(user=request.user, action=Action.PERSON_CHANGE)
        .filter(unit_type__holds_members=True, valid_to__isnull=True)
        .order_by("path")
    )


@login_required
def person_create(request):
    if not can(request.user, Action.PERSON_CHANGE):
        raise PermissionDenied("Bạn không có quyền thêm đoàn viên.")
    unit = None
    if request.GET.get("don_vi"):
        unit = get_unit_or_404(request, request.GET["don_vi"], Action.PERSON_CHANGE)
    units = _units_for_change(request)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    person_form = PersonForm(request.POST or None, prefix="p")
    membership_form = MembershipForm(
        request.POST or None, prefix="m", units=units, initial={"unit": unit.pk if unit else None}
    )
    if request.method == "POST" and person_form.is_valid() and membership_form.is_valid():
        try:
            person = services.person_create(
                acting_user=request.user,
                person_data=person_form.cleaned_data,
                membership_data=membership_form.cleaned_data,
            )
        except ServiceError as error:
            target = membership_form if error.field in membership_form.fields else person_form
            add_service_error(target, error)
        else:
            messages.success(request, f"Đã thêm đoàn viên “{person.full_name}”.")
            return redirect("members:detail", person.pk)
    return render(
        request,
        "members/form.html",
        {
            "forms": [person_form, membership_form],
            "title": "Thêm đoàn viên",
            "unit": unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit) if unit else [],
        },
    )


@login_required
@require_POST
def person_citizen_id(request, pk):
    """htmx (POST): the full citizen ID in place of the masked one on the person page, for a holder of
    `person.view_sensitive` on the person's unit; each reveal is written to the access log."""
    person = _person_or_404(request, pk, Action.PERSON_VIEW_SENSITIVE)
    unit = person_citizen_id_unit(person=person)
    if not may_see_citizen_id(request.user, person=person, unit=unit):
        raise PermissionDenied("Bạn không có quyền xem số CCCD đầy đủ của đoàn viên này.")
    number = person_citizen_id_access(acting_user=request.user, person=person, via=VIA_REVEAL, unit=unit)
    template = "members/_citizen_id.html" if request.htmx else "members/citizen_id.html"
    return render(request, template, {"person": person, "number": number, "unit": unit})


def _mask_citizen_id_field(form: PersonForm, person: Person) -> None:
    """The edit form of a user without `person.view_sensitive`: the number shown masked, read-only (a
    disabled field ignores what is posted; the view keeps the stored number)."""
    field = form.fields["citizen_id"]
    field.disabled = True
    field.initial = person.citizen_id_masked
    form.initial["citizen_id"] = person.citizen_id_masked
    field.help_text = "Bạn không có quyền xem số CCCD đầy đủ; số được che và không sửa được ở đây."


@login_required
def person_edit(request, pk):
    person = _person_or_404(request, pk, Action.PERSON_CHANGE)
    current = person_current_membership(person=person)
    if current is None or not can(request.user, Action.PERSON_CHANGE, current.unit.path):
        raise PermissionDenied("Bạn không có quyền sửa thông tin đoàn viên này.")
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    # the full citizen ID is in the form only for a holder of person.view_sensitive, and logged
    masked = bool(person.citizen_id) and not may_see_citizen_id(
        request.user, person=person, unit=current.unit
    )
    if masked:
        initial["citizen_id"] = person.citizen_id_masked
    elif person.citizen_id and request.method != "POST":
        person_citizen_id_access(
            acting_user=request.user, person=person, via=VIA_EDIT_FORM, unit=current.unit
        )
    person_form = PersonForm(request.POST or None, prefix="p", initial=initial)
    if masked:
        _mask_citizen_id_field(person_form, person)
    membership_form = MembershipEditForm(
        request.POST or None,
        prefix="m",
        initial={k: getattr(current, k) for k in ("union_role", "job_title", "work_mode", "card_number")},
    )
    if request.method == "POST" and person_form.is_valid() and membership_form.is_valid():
        person_data = dict(person_form.cleaned_data)
        if masked:
            person_data["citizen_id"] = person.citizen_id  # the masked field never changes the number
        try:
            services.person_update(acting_user=request.user, person=person, person_data=person_data)
            services.membership_update(
                acting_user=request.user, membership=current, data=membership_form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(person_form, error)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("members:detail", person.pk)
    return render(
        request,
        "members/form.html",
        {
            "forms": [person_form, membership_form],
            "title": f"Sửa thông tin {person.full_name}",
            "person": person,
            "unit": current.unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=current.unit),
        },
    )


def _current_for_change(request, pk):
    person = _person_or_404(request, pk, Action.PERSON_CHANGE)
    current = person_current_membership(person=person)
    if current is None or not can(request.user, Action.PERSON_CHANGE, current.unit.path):
        raise PermissionDenied("Bạn không có quyền thay đổi sinh hoạt công đoàn của đoàn viên này.")
    return person, current


def _membership_page(request, person, current, form, title):
    return render(
        request,
        "members/membership_form.html",
        {
            "person": person,
            "current": current,
            "form": form,
            "title": title,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=current.unit),
        },
    )


@login_required
def membership_transfer(request, pk):
    person, current = _current_for_change(request, pk)
    units = _units_for_change(request).exclude(pk=current.unit_id)
    form = MembershipTransferForm(request.POST or None, units=units, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_transfer(
                acting_user=request.user,
                membership=current,
                to_unit=form.cleaned_data["to_unit"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error("to_unit" if error.field == "unit" else None, error.message)
        else:
            messages.success(request, f"Đã chuyển sinh hoạt của “{person.full_name}”.")
            return redirect("members:detail", person.pk)
    return _membership_page(request, person, current, form, f"Chuyển sinh hoạt — {person.full_name}")


@login_required
def membership_end(request, pk):
    person, current = _current_for_change(request, pk)
    form = MembershipEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                acting_user=request.user,
                membership=current,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Đã ghi nhận “{person.full_name}” thôi sinh hoạt tại {current.unit.name}."
            )
            return redirect("members:detail", person.pk)
    return _membership_page(request, person, current, form, f"Thôi sinh hoạt — {person.full_name}")
