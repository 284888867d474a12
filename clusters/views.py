"""Cluster pages: an organiser's clusters for a year, cluster detail (members, covenant, ranking), and the
forms that call the cluster services. Reading needs `unit.view`; writing needs `movement.manage` on the
organiser (403 without it anywhere, 404 outside scope)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import Action, can
from core.exceptions import ServiceError
from core.filters import emulation_year, year_from
from core.forms import add_service_error
from core.text import collation_key
from organizations.models import OrgUnit
from organizations.selectors import orgunit_breadcrumbs, orgunit_roots
from organizations.shortcuts import get_unit_or_404

from . import selectors, services
from .forms import ClusterForm, CovenantForm, RankingForm
from .models import Cluster, ClusterMember, Covenant


def _year(request, default: int | None = None) -> int:
    fallback = default or emulation_year()
    year = year_from(request.GET, default=year_from(request.POST, default=fallback))
    return year if year >= services.MIN_YEAR else fallback


def get_cluster_or_404(request, pk, action=Action.UNIT_VIEW) -> Cluster:
    if not can(request.user, action):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    try:
        return selectors.cluster_get(user=request.user, pk=pk, action=action)
    except Cluster.DoesNotExist as exc:
        raise Http404("Không tìm thấy cụm, khối thi đua hoặc bạn không có quyền xem.") from exc


def _year_choices(years, year: int) -> list[int]:
    """Years to offer: those with clusters, the one shown and the current emulation year
    (`core.filters.emulation_year`), newest first."""
    return sorted({*years, year, emulation_year()}, reverse=True)


def _crumbs(request, unit: OrgUnit):
    return orgunit_breadcrumbs(user=request.user, unit=unit)


def _cluster_form_page(request, cluster, template: str, form, *, title: str, **extra):
    """A form page of one cluster: the cluster, its organiser's breadcrumbs, the form and the title."""
    context = {"cluster": cluster, "unit": cluster.organiser, "crumbs": _crumbs(request, cluster.organiser)}
    return render(request, template, {**context, "form": form, "title": title, **extra})


@login_required
def cluster_index(request):
    """Entry point from the menu: the clusters the user can see for a year, by organiser."""
    if not can(request.user, Action.UNIT_VIEW):
        raise PermissionDenied("Bạn không có quyền xem cụm, khối thi đua.")
    visible = selectors.cluster_visible(user=request.user)
    latest = visible.order_by("-year").values_list("year", flat=True).first()
    year = _year(request, default=latest)
    clusters = selectors.clusters_for_year(user=request.user, year=year)
    groups: dict[int, tuple[OrgUnit, list[Cluster]]] = {}
    for cluster in sorted(clusters, key=lambda c: (c.organiser.path, collation_key(c.name))):
        groups.setdefault(cluster.organiser_id, (cluster.organiser, []))[1].append(cluster)
    # a member of a cluster may see it without seeing its organiser's page: link the organiser only
    # where that page opens for the user
    for organiser, _ in groups.values():
        organiser.page_opens = can(request.user, Action.UNIT_VIEW, organiser.path)
    organisers = sorted(orgunit_roots(user=request.user, action=Action.MOVEMENT_MANAGE), key=lambda u: u.path)
    years = _year_choices(set(visible.values_list("year", flat=True)), year)
    return render(
        request,
        "clusters/cluster_index.html",
        {"year": year, "years": years, "groups": list(groups.values()), "organisers": organisers},
    )


@login_required
def cluster_list(request, pk):
    unit = get_unit_or_404(request, pk)
    years = selectors.cluster_years(organiser=unit)
    year = _year(request, default=years[0] if years else None)
    may_manage = can(request.user, Action.MOVEMENT_MANAGE, unit.path)
    organised = selectors.clusters_of_organiser(user=request.user, organiser=unit, year=year)
    member_of = selectors.clusters_of_unit(user=request.user, unit=unit, year=year)
    context = {
        "unit": unit,
        "crumbs": _crumbs(request, unit),
        "year": year,
        "years": _year_choices(years, year),
        "clusters": organised,
        "member_of": member_of,
        "may_manage": may_manage,
        "may_copy": may_manage and not organised and (year - 1) in years,
        "unassigned": selectors.units_without_cluster(organiser=unit, year=year)
        if may_manage and organised
        else [],
    }
    return render(request, "clusters/cluster_list.html", context)


def _cluster_form(request, organiser: OrgUnit, year: int, cluster: Cluster | None):
    candidates = selectors.cluster_candidates(organiser=organiser, year=year)
    current: dict[int, str] = {}
    if cluster is not None:
        current = dict(cluster.members.values_list("unit_id", "role"))
    others = (
        ClusterMember.objects.filter(organiser=organiser, year=year)
        .exclude(cluster=cluster)
        .values_list("unit_id", "cluster__name")
    )
    taken = dict(others)
    units = sorted(
        candidates, key=lambda u: (u.pk not in current, u.pk in taken, u.depth, selectors.unit_name_key(u))
    )
    initial = (
        {"name": cluster.name, "kind": cluster.kind, "note": cluster.note, "flag_quota": cluster.flag_quota}
        if cluster
        else {}
    )
    return ClusterForm(request.POST or None, initial=initial, candidates=units, current=current, taken=taken)


@login_required
def cluster_create(request, pk):
    organiser = get_unit_or_404(request, pk, Action.MOVEMENT_MANAGE)
    year = _year(request)
    form = _cluster_form(request, organiser, year, None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cluster = services.cluster_create(
                acting_user=request.user,
                organiser=organiser,
                year=year,
                name=data["name"],
                kind=data["kind"],
                note=data["note"],
                flag_quota=data["flag_quota"],
                members=form.members(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Đã thành lập “{cluster.name}” năm {year}.")
            return redirect("clusters:cluster_detail", cluster.pk)
    return render(
        request,
        "clusters/cluster_form.html",
        {
            "unit": organiser,
            "crumbs": _crumbs(request, organiser),
            "form": form,
            "year": year,
            "title": f"Thành lập cụm, khối thi đua năm {year}",
            "cancel_url": f"{_list_url(organiser)}?nam={year}",
        },
    )


def _list_url(organiser: OrgUnit) -> str:
    return reverse("clusters:cluster_list", args=[organiser.pk])


@login_required
def cluster_edit(request, pk):
    cluster = get_cluster_or_404(request, pk, Action.MOVEMENT_MANAGE)
    organiser = cluster.organiser
    form = _cluster_form(request, organiser, cluster.year, cluster)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cluster_update(
                acting_user=request.user,
                cluster=cluster,
                name=data["name"],
                kind=data["kind"],
                note=data["note"],
                flag_quota=data["flag_quota"],
            )
            services.cluster_set_members(acting_user=request.user, cluster=cluster, members=form.members())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lưu cụm, khối thi đua.")
            return redirect("clusters:cluster_detail", cluster.pk)
    return render(
        request,
        "clusters/cluster_form.html",
        {
            "unit": organiser,
            "crumbs": _crumbs(request, organiser),
            "form": form,
            "year": cluster.year,
            "cluster": cluster,
            "title": f"Sửa {cluster.name} ({cluster.year})",
            "cancel_url": reverse("clusters:cluster_detail", args=[cluster.pk]),
        },
    )


@login_required
@require_POST
def cluster_copy(request, pk):
    organiser = get_unit_or_404(request, pk, Action.MOVEMENT_MANAGE)
    year = _year(request)
    try:
        created = services.cluster_copy_from_previous_year(
            acting_user=request.user, organiser=organiser, year=year
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Đã sao chép {len(created)} cụm, khối từ năm {year - 1}; "
            "Cụm trưởng, Cụm phó đã được luân phiên. Kiểm tra lại thành viên từng cụm.",
        )
    return redirect(f"{_list_url(organiser)}?nam={year}")


@login_required
def cluster_detail(request, pk):
    cluster = get_cluster_or_404(request, pk)
    organiser = cluster.organiser
    members = selectors.cluster_members(cluster=cluster)
    covenant = Covenant.objects.filter(cluster=cluster).prefetch_related("signatories").first()
    signed_ids = {u.pk for u in covenant.signatories.all()} if covenant else set()
    ranking = selectors.cluster_ranking(cluster=cluster)
    context = {
        "cluster": cluster,
        "unit": organiser,
        "crumbs": _crumbs(request, organiser),
        "members": members,
        "leader": next((m for m in members if m.role == "LEADER"), None),
        "deputy": next((m for m in members if m.role == "DEPUTY"), None),
        "covenant": covenant,
        "signed_ids": signed_ids,
        "ranking": ranking,
        "ranked": any(m.rank for m in ranking),
        "may_manage": can(request.user, Action.MOVEMENT_MANAGE, organiser.path),
        "may_open_organiser": can(request.user, Action.UNIT_VIEW, organiser.path),
    }
    return render(request, "clusters/cluster_detail.html", context)


@login_required
def covenant_edit(request, pk):
    cluster = get_cluster_or_404(request, pk, Action.MOVEMENT_MANAGE)
    members = selectors.cluster_members(cluster=cluster)
    covenant = Covenant.objects.filter(cluster=cluster).first()
    if covenant:
        initial = {
            "content": covenant.content,
            "signed_on": covenant.signed_on,
            "place": covenant.place,
            "signatories": list(covenant.signatories.values_list("pk", flat=True)),
        }
    else:
        initial = {"signatories": [m.unit_id for m in members]}
    form = CovenantForm(request.POST or None, request.FILES or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.covenant_record(
                acting_user=request.user,
                cluster=cluster,
                content=data["content"],
                signed_on=data["signed_on"],
                place=data["place"],
                signatories=list(data["signatories"]),
                document=data["document"] or None,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã ghi nhận giao ước thi đua.")
            return redirect("clusters:cluster_detail", cluster.pk)
    return _cluster_form_page(
        request,
        cluster,
        "clusters/cluster_covenant_form.html",
        form,
        title=f"Giao ước thi đua — {cluster.name} ({cluster.year})",
        covenant=covenant,
    )


@login_required
def covenant_download(request, pk):
    cluster = get_cluster_or_404(request, pk)
    covenant = Covenant.objects.filter(cluster=cluster).first()
    if covenant is None or not covenant.document:
        raise Http404("Cụm chưa có văn bản giao ước.")
    try:
        handle = covenant.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy tệp văn bản giao ước.") from exc
    return FileResponse(handle, as_attachment=True, filename=PurePosixPath(covenant.document.name).name)


@login_required
def cluster_rank(request, pk):
    cluster = get_cluster_or_404(request, pk, Action.MOVEMENT_MANAGE)
    members = selectors.cluster_ranking(cluster=cluster)
    form = RankingForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_rank(
                acting_user=request.user,
                cluster=cluster,
                ranking=form.ranking(),
                proposed=form.proposed(),
                override_reason=form.cleaned_data["override_reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lưu kết quả xếp hạng cuối năm.")
            return redirect("clusters:cluster_detail", cluster.pk)
    return _cluster_form_page(
        request,
        cluster,
        "clusters/cluster_rank_form.html",
        form,
        title=f"Xếp hạng cuối năm — {cluster.name} ({cluster.year})",
    )
