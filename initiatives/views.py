"""Initiative screens: list with filters and counts per status, detail with authors, reviews, decision and
timeline, registration with a near-duplicate check, council review and decision."""

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
from members.models import Membership
from organizations.models import OrgUnit
from organizations.selectors import orgunit_breadcrumbs, orgunit_visible
from organizations.shortcuts import get_unit_or_404

from . import services
from .choices import CRITERIA, SCORE_MAX, Status
from .filters import InitiativeFilter
from .forms import (
    AuthorFormSet,
    DecisionForm,
    InitiativeForm,
    ReviewForm,
    author_label,
    resolve_authors,
)
from .models import Initiative
from .selectors import (
    author_memberships,
    initiative_authors,
    initiative_events,
    initiative_get,
    initiative_list,
    initiative_reviews,
    initiative_similar,
    initiative_status_counts,
    initiative_years,
)
from .similarity import WARN_THRESHOLD
from .workflow import allowed_names

DATALIST_LIMIT = 3000


def _may_use(user) -> bool:
    return can(user, Action.UNIT_VIEW) or bool(getattr(user, "person_id", None))


def _initiative_or_404(request, pk) -> Initiative:
    """403 without any right to see initiatives, 404 when it does not exist or is outside the scope."""
    if not _may_use(request.user):
        raise PermissionDenied("Bạn không có quyền xem sáng kiến.")
    try:
        return initiative_get(user=request.user, pk=pk)
    except Initiative.DoesNotExist as exc:
        raise Http404("Không tìm thấy sáng kiến hoặc bạn không có quyền xem.") from exc


@login_required
def initiative_list_view(request):
    if not _may_use(request.user):
        raise PermissionDenied("Bạn không có quyền xem sáng kiến.")
    unit = get_unit_or_404(request, request.GET["don_vi"]) if request.GET.get("don_vi") else None
    filterset = InitiativeFilter(
        request.GET,
        queryset=initiative_list(user=request.user, unit=unit),
        years=initiative_years(user=request.user),
    )
    status = filterset.cleaned().get("trang_thai", "")
    counts = initiative_status_counts(qs=filterset.qs_without("trang_thai"))  # every status within the year
    page = paginate(request, filterset.qs)
    form = filterset.form
    return render(
        request,
        "initiatives/list.html",
        {
            "page": page,
            "form": form,
            "unit": unit,
            "status": status,
            "counts": [(value, label, counts[value]) for value, label in Status.choices],
            "total": sum(counts.values()),
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit) if unit else [],
            "may_create": can(request.user, Action.INITIATIVE_CHANGE) or bool(request.user.person_id),
        },
    )


@login_required
def initiative_detail(request, pk):
    initiative = _initiative_or_404(request, pk)
    authors = initiative_authors(initiative=initiative)
    reviews = initiative_reviews(initiative=initiative)
    user = request.user
    sees_reviews = can(user, Action.INITIATIVE_REVIEW, initiative.unit.path) or can(
        user, Action.INITIATIVE_CHANGE, initiative.unit.path
    )
    actions = allowed_names(initiative, user)  # exactly what this user may fire (initiatives.workflow)
    in_council = services.may_review(user, initiative)  # sees the similar initiatives
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative,
            "authors": authors,
            "reviews": reviews if sees_reviews else [],
            "review_count": len(reviews),
            "criteria": CRITERIA,
            "score_max": SCORE_MAX * len(CRITERIA),
            "may_edit": "edit" in actions,
            "may_submit": "submit" in actions,
            "may_review": "review" in actions,
            "may_decide": "decide" in actions,
            "events": initiative_events(initiative=initiative),
            "crumbs": orgunit_breadcrumbs(user=user, unit=initiative.unit),
            "similar": initiative_similar(
                user=user,
                title=initiative.title,
                description=initiative.description,
                unit=initiative.unit,
                exclude_pk=initiative.pk,
                limit=3,
            )
            if in_council
            else [],
            "threshold": round(WARN_THRESHOLD * 100),
        },
    )


# ---------------------------------------------------------------- registering and editing
def _mode(request) -> str:
    """ "officer" records for others (initiative.change), "self" registers one's own, else 403."""
    if can(request.user, Action.INITIATIVE_CHANGE):
        return "officer"
    if request.user.person_id:
        return "self"
    raise PermissionDenied("Bạn không có quyền đăng ký sáng kiến.")


def _units_for(request, mode: str, base: OrgUnit | None):
    if mode == "officer":
        units = orgunit_visible(user=request.user, action=Action.INITIATIVE_CHANGE).filter(
            unit_type__rank__lte=services.GRASSROOTS_RANK, valid_to__isnull=True
        )
        if base is not None:
            units = units.filter(path__startswith=base.path)
        return units.order_by("path")
    current = Membership.objects.filter(person_id=request.user.person_id, ended_on__isnull=True).first()
    if current is None:
        raise PermissionDenied("Bạn hiện không sinh hoạt tại công đoàn nào nên chưa đăng ký được sáng kiến.")
    paths = [*current.unit.ancestor_paths(), current.unit.path]
    return (
        OrgUnit.objects.filter(path__in=paths, unit_type__rank__gte=services.GRASSROOTS_RANK)
        .select_related("unit_type")
        .order_by("path")
    )


def _author_base(request, units) -> OrgUnit | None:
    """The unit whose members are offered as authors: the shallowest unit of the choice list."""
    return min(units, key=lambda u: u.depth, default=None)


def _form_page(request, *, initiative: Initiative | None):
    mode = _mode(request) if initiative is None else "officer"
    base = None
    if initiative is None and request.GET.get("don_vi"):
        action = Action.INITIATIVE_CHANGE if mode == "officer" else Action.UNIT_VIEW
        base = get_unit_or_404(request, request.GET["don_vi"], action)
    if initiative is not None:
        if not services.may_edit(request.user, initiative):
            raise PermissionDenied("Chỉ tác giả hoặc cán bộ thi đua sửa được bản nháp sáng kiến.")
        mode = "officer" if services.may_record(request.user, initiative.unit) else "self"
    units = list(_units_for(request, mode, base))
    if initiative is not None and initiative.unit not in units:
        units.append(initiative.unit)
    unit_qs = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
    author_base = _author_base(request, units)
    members = (
        author_memberships(user=request.user, unit=author_base) if author_base else Membership.objects.none()
    )

    initial = {}
    author_initial = []
    if initiative is not None:
        initial = {name: getattr(initiative, name) for name in services.INITIATIVE_FIELDS}
        author_initial = [
            {"person": f"{a.person.full_name} · #{a.person_id}", "share": a.share_percent}
            for a in initiative_authors(initiative=initiative)
        ]
    elif base is not None and any(u.pk == base.pk for u in units):
        initial = {"unit": base.pk}
    elif mode == "self" and units:
        initial = {"unit": units[-1].pk if units[-1].unit_type.is_grassroots else units[0].pk}
    post = request.POST if request.method == "POST" else None
    form = InitiativeForm(post, units=unit_qs, initial=initial)
    formset = AuthorFormSet(post, prefix="tg", initial=author_initial) if mode == "officer" else None
    confirmed = request.POST.get("xac_nhan_khac") == "1"
    similar: list[dict] = []
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        # a member registering their own initiative is its sole author
        authors = resolve_authors(formset, members) if formset is not None else [(request.user.person, 100)]
        data = form.cleaned_data
        if authors is not None:
            similar = initiative_similar(
                user=request.user,
                title=data["title"],
                description=data["description"],
                unit=data["unit"],
                exclude_pk=initiative.pk if initiative else None,
            )
        warn = any(item["warn"] for item in similar)
        if authors is not None and (confirmed or not warn):
            try:
                if initiative is None:
                    saved = services.initiative_create(acting_user=request.user, data=data, authors=authors)
                else:
                    saved = services.initiative_update(
                        acting_user=request.user,
                        initiative=initiative,
                        data=data,
                        authors=authors if formset is not None else None,
                    )
            except ServiceError as error:
                if error.field == "authors" and formset is not None:
                    formset._non_form_errors = formset.error_class([error.message])
                else:
                    add_service_error(form, error)
            else:
                messages.success(
                    request,
                    f"Đã lưu sáng kiến “{saved.title}” (bản nháp). Kiểm tra lại rồi bấm “Nộp để chấm”."
                    if initiative is None
                    else "Đã lưu thay đổi.",
                )
                return redirect("initiatives:detail", saved.pk)
    show_datalist = formset is not None and members.count() <= DATALIST_LIMIT if author_base else False
    crumb_unit = initiative.unit if initiative else base
    return render(
        request,
        "initiatives/form.html",
        {
            "form": form,
            "formset": formset,
            "initiative": initiative,
            "mode": mode,
            "author_options": [author_label(m) for m in members] if show_datalist else [],
            "similar": similar,
            "warn": any(item["warn"] for item in similar),
            "threshold": round(WARN_THRESHOLD * 100),
            "title": "Sửa sáng kiến" if initiative else "Đăng ký sáng kiến",
            "unit": crumb_unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=crumb_unit) if crumb_unit else [],
        },
    )


@login_required
def initiative_create(request):
    return _form_page(request, initiative=None)


@login_required
def initiative_edit(request, pk):
    return _form_page(request, initiative=_initiative_or_404(request, pk))


@login_required
@require_POST
def initiative_similar_partial(request):
    """htmx: the most similar existing initiatives while the title or description is being typed."""
    if not _may_use(request.user):
        raise PermissionDenied("Bạn không có quyền xem sáng kiến.")
    unit = None
    unit_id = request.POST.get("unit")
    if unit_id and unit_id.isdigit():
        unit = OrgUnit.objects.filter(pk=int(unit_id)).first()
        if unit is not None and not (
            can(request.user, Action.UNIT_VIEW, unit.path) or services.may_record_self(request.user, unit)
        ):
            unit = None
    exclude = request.POST.get("initiative")
    similar = initiative_similar(
        user=request.user,
        title=request.POST.get("title", ""),
        description=request.POST.get("description", ""),
        unit=unit,
        exclude_pk=int(exclude) if exclude and exclude.isdigit() else None,
    )
    return render(
        request,
        "initiatives/_similar.html",
        {"similar": similar, "warn": False, "threshold": round(WARN_THRESHOLD * 100), "live": True},
    )


@login_required
@require_POST
def initiative_submit(request, pk):
    initiative = _initiative_or_404(request, pk)
    try:
        services.initiative_submit(acting_user=request.user, initiative=initiative)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã nộp sáng kiến để Hội đồng chấm.")
    return redirect("initiatives:detail", initiative.pk)


# ---------------------------------------------------------------- council
def _for_council(request, pk) -> Initiative:
    if not can(request.user, Action.INITIATIVE_REVIEW):
        raise PermissionDenied("Bạn không có quyền chấm, xét công nhận sáng kiến.")
    initiative = _initiative_or_404(request, pk)
    if not can(request.user, Action.INITIATIVE_REVIEW, initiative.unit.path):
        raise PermissionDenied("Bạn không có quyền chấm, xét công nhận sáng kiến của đơn vị này.")
    return initiative


@login_required
def initiative_review(request, pk):
    initiative = _for_council(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.initiative_review(
                acting_user=request.user,
                initiative=initiative,
                scores={key: data[key] for key, _ in CRITERIA},
                verdict=data["verdict"],
                comment=data["comment"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã ghi phiếu chấm.")
            return redirect("initiatives:detail", initiative.pk)
    return _council_page(request, initiative, form, "Chấm sáng kiến")


@login_required
def initiative_decide(request, pk):
    initiative = _for_council(request, pk)
    council = services.deciding_unit(request.user, initiative)
    levels = services.allowed_levels(council)
    form = DecisionForm(request.POST or None, levels=levels)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.initiative_decide(
                acting_user=request.user,
                initiative=initiative,
                recognize=data["outcome"] == "recognize",
                level=data["level"],
                recognized_on=data["recognized_on"],
                decision_ref=data["decision_ref"],
                reason=data["reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã ghi quyết định.")
            return redirect("initiatives:detail", initiative.pk)
    return _council_page(request, initiative, form, "Quyết định công nhận sáng kiến", council=council)


def _council_page(request, initiative, form, title, council=None):
    return render(
        request,
        "initiatives/council_form.html",
        {
            "initiative": initiative,
            "form": form,
            "title": title,
            "council": council,
            "today": timezone.localdate(),
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=initiative.unit),
        },
    )
