"""Commendation screens: what a person or a unit may be proposed for, the award registry, the rule sets."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.access import Action, can
from core.exceptions import ServiceError
from core.filters import emulation_year, year_from
from core.pagination import paginate
from members.models import Person
from members.selectors import person_current_membership, person_get
from members.widgets import person_pick_queryset, unit_pick_queryset
from organizations.models import OrgUnit
from organizations.selectors import orgunit_ancestors, orgunit_breadcrumbs
from organizations.shortcuts import get_unit_or_404

from . import services
from .builders import UNIT_JOB
from .eligibility import full_on_screen, person_report, unit_report
from .forms import AwardRecordForm, RuleSetVersionForm
from .models import RuleSet
from .params import param_rows
from .selectors import (
    award_records,
    ruleset_list,
    unit_persons_in_year,
)


def _year(request) -> int:
    return year_from(request.GET, default=emulation_year())


def _received_on(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("ngay_nhan", ""))
    except ValueError:
        return None


def _years(year: int) -> list[int]:
    last = timezone.localdate().year
    return sorted({*range(2022, last + 1), year}, reverse=True)


@login_required
def index(request):
    """The registry for officers; a member without rights on other people gets their own eligibility page."""
    user = request.user
    if not can(user, Action.PERSON_VIEW) and user.person_id:
        return redirect("commendations:person", user.person_id)
    if not can(user, Action.PERSON_VIEW):
        return redirect("commendations:rulesets")
    return redirect("commendations:records")


@login_required
def person_eligibility(request, person_pk):
    user = request.user
    if not can(user, Action.PERSON_VIEW) and user.person_id != person_pk:
        raise PermissionDenied("Bạn không có quyền xem đoàn viên.")
    try:
        person = person_get(user=user, pk=person_pk)
    except Person.DoesNotExist as exc:
        raise Http404("Không tìm thấy đoàn viên hoặc bạn không có quyền xem.") from exc
    year = _year(request)
    membership = person_current_membership(person=person)
    context = {"person": person, "membership": membership, "year": year, "years": _years(year)}
    try:
        context["report"] = person_report(person=person, year=year, received_on=_received_on(request))
    except ServiceError as exc:
        context["error"] = exc.message
    if membership:
        context["crumbs"] = orgunit_breadcrumbs(user=user, unit=membership.unit) + [
            (membership.unit, can(user, Action.UNIT_VIEW, membership.unit.path))
        ]
    return render(request, "commendations/person.html", context)


@login_required
def unit_eligibility(request, unit_pk):
    """One page of the unit's people with their verdicts (only their histories are read); the whole unit
    — every member, the CSTĐCS quota, the collective for a large unit — is the background job
    "Đánh giá toàn đơn vị" (`commendations.builders`), started from here."""
    unit = get_unit_or_404(request, unit_pk, action=Action.PERSON_VIEW)
    year = _year(request)
    context = {
        "unit": unit,
        "year": year,
        "years": _years(year),
        "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        "may_record": can(request.user, Action.AWARD_RECORD, unit.path),
        "job_kind": UNIT_JOB,
        "full_max": full_on_screen(),
    }
    page = paginate(request, unit_persons_in_year(unit=unit, year=year))
    context["page"] = page
    size = page.paginator.count if page.paginator.exact else None
    try:
        context["report"] = unit_report(
            unit=unit, year=year, persons=page.object_list, size=size, received_on=_received_on(request)
        )
    except ServiceError as exc:
        context["error"] = exc.message
    return render(request, "commendations/unit.html", context)


@login_required
def records(request):
    user = request.user
    if not can(user, Action.PERSON_VIEW):
        raise PermissionDenied("Bạn không có quyền xem sổ khen thưởng.")
    unit = (
        get_unit_or_404(request, request.GET["don_vi"], action=Action.PERSON_VIEW)
        if request.GET.get("don_vi", "").isdigit()
        else None
    )
    year = year_from(request.GET)
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, award_records(user=user, unit=unit, year=year, query=query))
    return render(
        request,
        "commendations/records.html",
        {
            "unit": unit,
            "year": year,
            "years": _years(timezone.localdate().year - 1),
            "page": page,
            "query": query,
            "crumbs": orgunit_breadcrumbs(user=user, unit=unit) if unit else [],
            "may_record": unit is not None and can(user, Action.AWARD_RECORD, unit.path),
        },
    )


@login_required
def record_create(request):
    if not request.GET.get("don_vi", "").isdigit():
        raise Http404("Hãy chọn đơn vị.")
    unit = get_unit_or_404(request, request.GET["don_vi"], action=Action.AWARD_RECORD)
    # the pickers search (members:person_search / unit_search) and validate against the same querysets:
    # what the user may record awards for, inside this unit — never a full list in the page
    scope = {"user": request.user, "action": Action.AWARD_RECORD, "unit": unit}
    ancestors = orgunit_ancestors(units=[unit])
    issuers = OrgUnit.objects.filter(pk__in=[unit.pk, *(a.pk for a in ancestors.values())]).order_by("-depth")
    form = AwardRecordForm(
        request.POST or None,
        persons=person_pick_queryset(**scope),
        collectives=unit_pick_queryset(**scope),
        issuers=issuers,
        picker_params={"quyen": Action.AWARD_RECORD, "don_vi": unit.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.award_record_enter(
                acting_user=request.user,
                award_type=data["award_type"],
                year=data["year"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                issuing_unit=data["issuing_unit"],
                person=data.get("person"),
                unit=data.get("collective"),
                achievement_id=data.get("achievement_id", ""),
                achievement_summary=data.get("achievement_summary", ""),
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"Đã ghi sổ: {record.award_type.name} năm {record.year} — {record.subject_name}."
            )
            return redirect(f"{request.path.rsplit('them/', 1)[0]}?don_vi={unit.pk}")
    return render(
        request,
        "commendations/record_form.html",
        {"form": form, "unit": unit, "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit)},
    )


def _require_view_rulesets(user) -> None:
    if not (can(user, Action.UNIT_VIEW) or can(user, Action.RULESET_MANAGE)):
        raise PermissionDenied("Bạn không có quyền xem bộ quy tắc.")


@login_required
def rulesets(request):
    _require_view_rulesets(request.user)
    return render(
        request,
        "commendations/rulesets.html",
        {"rulesets": ruleset_list(), "may_manage": can(request.user, Action.RULESET_MANAGE)},
    )


@login_required
def ruleset_detail(request, pk):
    _require_view_rulesets(request.user)
    ruleset = get_object_or_404(RuleSet.objects.select_related("created_by"), pk=pk)
    return render(
        request,
        "commendations/ruleset_detail.html",
        {
            "ruleset": ruleset,
            "rows": param_rows(ruleset.params),
            "may_manage": can(request.user, Action.RULESET_MANAGE),
        },
    )


@login_required
def ruleset_new(request, pk):
    if not can(request.user, Action.RULESET_MANAGE):
        raise PermissionDenied("Chỉ quản trị hệ thống được thêm phiên bản bộ quy tắc.")
    base = get_object_or_404(RuleSet, pk=pk)
    initial = {"name": base.name, "legal_basis": base.legal_basis, "document_basis": base.document_basis}
    form = RuleSetVersionForm(request.POST or None, base=base, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.ruleset_new_version(
                acting_user=request.user,
                base=base,
                code=data["code"],
                name=data["name"],
                legal_basis=data["legal_basis"],
                document_basis=data["document_basis"],
                valid_from=data["valid_from"],
                params_changes=data["params_changes"],
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã thêm bộ quy tắc {created.code}.")
            return redirect("commendations:ruleset_detail", created.pk)
    return render(request, "commendations/ruleset_form.html", {"form": form, "base": base})
