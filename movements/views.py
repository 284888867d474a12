"""Movement screens: list, launch, detail with coverage and reports, registrations, evaluation grid."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import Action, can, require
from core.exceptions import ServiceError
from core.filters import emulation_year, year_from
from core.forms import add_service_error
from core.pagination import paginate
from organizations.selectors import orgunit_breadcrumbs, orgunit_children, orgunit_roots
from organizations.shortcuts import get_unit_or_404

from . import selectors, services
from .choices import Discipline, MilestoneKind, MovementStatus, Rating, ReportStage, title_names
from .filters import MovementFilter
from .forms import (
    CollectiveRegistrationForm,
    MovementForm,
    ProgressReportForm,
    SelfRegistrationForm,
    TargetFormSet,
)
from .models import Movement
from .workflow import allowed_names


def _movement_or_404(request, pk) -> Movement:
    try:
        return selectors.movement_get(user=request.user, pk=pk)
    except Movement.DoesNotExist as exc:
        raise Http404("Không tìm thấy phong trào hoặc bạn không có quyền xem.") from exc


def _require_action(request, action: str, message: str) -> None:
    """403 when the user holds the action nowhere — before looking anything up (no 404 leaks)."""
    if not can(request.user, action):
        raise PermissionDenied(message)


@login_required
def movement_list(request):
    if not can(request.user, Action.UNIT_VIEW):
        raise PermissionDenied("Bạn không có quyền xem phong trào thi đua.")
    unit = get_unit_or_404(request, request.GET["don_vi"]) if request.GET.get("don_vi") else None
    filterset = MovementFilter(request.GET, queryset=selectors.movement_list(user=request.user, unit=unit))
    chosen = filterset.cleaned()
    year, status = chosen.get("nam"), chosen.get("trang_thai", "")
    movements = paginate(request, filterset.qs)
    may_create = (unit is not None and can(request.user, Action.MOVEMENT_MANAGE, unit.path)) or (
        unit is None and can(request.user, Action.MOVEMENT_MANAGE)
    )
    return render(
        request,
        "movements/list.html",
        {
            "movements": movements,
            "unit": unit,
            "year": year,
            "status": status,
            "statuses": MovementStatus.choices,
            "may_create": may_create,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit) if unit else [],
        },
    )


@login_required
def movement_create(request):
    if not can(request.user, Action.MOVEMENT_MANAGE):
        raise PermissionDenied("Bạn không có quyền phát động phong trào.")
    if request.GET.get("don_vi"):
        organiser = get_unit_or_404(request, request.GET["don_vi"], Action.MOVEMENT_MANAGE)
    else:
        roots = [
            u for u in orgunit_roots(user=request.user) if can(request.user, Action.MOVEMENT_MANAGE, u.path)
        ]
        if not roots:
            raise PermissionDenied("Bạn không có quyền phát động phong trào.")
        organiser = roots[0]
    year = timezone.localdate().year
    form = MovementForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": year, "start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31)},
    )
    targets = TargetFormSet(request.POST or None, prefix="ct")
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        data = form.cleaned_data
        try:
            movement = services.movement_create(
                acting_user=request.user,
                organiser=organiser,
                name=data["name"],
                kind=data["kind"],
                year=data["year"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                description=data["description"],
                audience=data["audience"],
                unit_types=data["unit_types"],
                sectors=data["sectors"],
                targets=[f.cleaned_data for f in targets.forms if f.cleaned_data],
                milestones={
                    MilestoneKind.LAUNCH: data["launch_on"],
                    MilestoneKind.MIDYEAR: data["midyear_on"],
                    MilestoneKind.FINAL: data["final_on"],
                },
                plan_document=data["plan_document"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Đã soạn phong trào “{movement.name}”. Kiểm tra lại rồi bấm “Phát động”."
            )
            return redirect("movements:detail", movement.pk)
    return render(
        request,
        "movements/form.html",
        {
            "form": form,
            "targets": targets,
            "organiser": organiser,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=organiser),
        },
    )


def _viewing_unit(request, movement: Movement):
    """The unit whose subtree the detail page reports on: ?don_vi=, else the organiser when visible,
    else the user's own top unit inside the movement's scope."""
    if request.GET.get("don_vi"):
        unit = get_unit_or_404(request, request.GET["don_vi"])
        if not unit.path.startswith(movement.organiser.path):
            raise Http404("Đơn vị không thuộc phạm vi phong trào.")
        return unit
    if can(request.user, Action.UNIT_VIEW, movement.organiser.path):
        return movement.organiser
    for root in orgunit_roots(user=request.user):
        if root.path.startswith(movement.organiser.path):
            return root
    return None


@login_required
def movement_detail(request, pk):
    movement = _movement_or_404(request, pk)
    unit = _viewing_unit(request, movement)
    stage = request.GET.get("ky") if request.GET.get("ky") in ReportStage.values else ReportStage.MIDYEAR
    coverage = progress = None
    children = []
    if unit is not None and can(request.user, Action.PERSON_VIEW, unit.path):
        children = orgunit_children(user=request.user, unit=unit) or [unit]
        rows = selectors.registration_coverage(movement=movement, units=children)
        coverage = {"rows": rows, "total": selectors.coverage_total(rows)}
    if unit is not None:
        progress = selectors.progress_table(movement=movement, units=children or [unit], stage=stage)
    user = request.user
    context = {
        "movement": movement,
        "unit": unit,
        "coverage": coverage,
        "progress": progress,
        "stage": stage,
        "stages": ReportStage.choices,
        "my_registration": (mine := selectors.my_registration(user=user, movement=movement)),
        "my_titles": [title_names().get(code, code) for code in (mine.titles if mine else [])],
        "may_manage": can(user, Action.MOVEMENT_MANAGE, movement.organiser.path),
        # exactly the transitions this user may fire now (movements.workflow.MOVEMENT)
        "actions": allowed_names(movement, user),
        "may_register_others": unit is not None and can(user, Action.REGISTRATION_CHANGE, unit.path),
        "may_report": unit is not None and can(user, Action.PROGRESS_REPORT, unit.path),
        "may_self_register": bool(getattr(user, "person_id", None))
        and movement.status == MovementStatus.LAUNCHED,
        "crumbs": orgunit_breadcrumbs(user=user, unit=movement.organiser),
    }
    # the launch plan document (documents app, a layer above: its URL by name, absent without that app)
    context["plan_url"] = _plan_url(movement) if context["may_manage"] else None
    return render(request, "movements/detail.html", context)


def _plan_url(movement: Movement) -> str | None:
    try:
        return reverse("documents:plan", args=[movement.pk])
    except NoReverseMatch:
        return None


@login_required
@require_POST
def movement_launch(request, pk):
    require(request.user, Action.MOVEMENT_MANAGE)
    movement = _movement_or_404(request, pk)
    try:
        services.movement_launch(acting_user=request.user, movement=movement)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Đã phát động “{movement.name}”. Các đơn vị trực thuộc đã thấy phong trào."
        )
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def movement_close(request, pk):
    require(request.user, Action.MOVEMENT_MANAGE)
    movement = _movement_or_404(request, pk)
    try:
        services.movement_close(acting_user=request.user, movement=movement)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã tổng kết “{movement.name}”.")
    return redirect("movements:detail", movement.pk)


@login_required
def register_self(request, pk):
    movement = _movement_or_404(request, pk)
    current = selectors.my_registration(user=request.user, movement=movement)
    form = SelfRegistrationForm(
        request.POST or None,
        initial={"titles": current.titles, "commitments": current.commitments} if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_register_self(
                acting_user=request.user,
                movement=movement,
                titles=form.cleaned_data["titles"],
                commitments=form.cleaned_data["commitments"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã ghi nhận đăng ký thi đua của bạn.")
            return redirect("movements:detail", movement.pk)
    return render(
        request,
        "movements/register.html",
        {
            "movement": movement,
            "form": form,
            "title": "Đăng ký thi đua",
            "current": current,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=movement.organiser),
        },
    )


@login_required
def register_bulk(request, pk):
    _require_action(request, Action.REGISTRATION_CHANGE, "Bạn không có quyền đăng ký thi đua hộ đoàn viên.")
    movement = _movement_or_404(request, pk)
    unit = get_unit_or_404(
        request, request.GET.get("don_vi") or movement.organiser.pk, Action.REGISTRATION_CHANGE
    )
    query = (request.GET.get("q") or "").strip()[:100]
    members = selectors.registrable_memberships(user=request.user, movement=movement, unit=unit, query=query)
    page = paginate(request, members)
    rows = selectors.registration_rows(movement=movement, memberships=list(page.object_list))
    form = SelfRegistrationForm(request.POST or None)
    selected: set[int] = set()
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        posted = {int(v) for v in request.POST.getlist("persons") if v.isdigit() and len(v) < 19}
        # the people chosen on the page, checked against the same scope (anyone else is ignored)
        allowed = {}
        if len(posted) > settings.THIDUA_PAGE_SIZE:
            form.add_error(
                None, f"Mỗi lần chỉ đăng ký được một trang (tối đa {settings.THIDUA_PAGE_SIZE} người)."
            )
        elif posted:
            allowed = {m.person_id: m.person for m in members.filter(person_id__in=posted)}
        selected = set(allowed)
        if not posted:
            form.add_error(None, "Chọn ít nhất một đoàn viên.")
        elif not selected:
            form.add_error(None, "Những người đã chọn không thuộc phạm vi đăng ký hộ tại đơn vị này.")
        if form.is_valid():
            try:
                result = services.registration_register_bulk(
                    acting_user=request.user,
                    movement=movement,
                    persons=[allowed[pid] for pid in sorted(selected)],
                    titles=form.cleaned_data["titles"],
                    commitments=form.cleaned_data["commitments"],
                )
            except services.RowErrors as error:
                errors = error.errors
                form.add_error(None, error.message)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, f"Đã đăng ký hộ {result['created']} đoàn viên mới, cập nhật {result['updated']}."
                )
                return redirect(f"{request.path}?{request.GET.urlencode()}")
    return render(
        request,
        "movements/register_bulk.html",
        {
            "movement": movement,
            "unit": unit,
            "rows": rows,
            "page": page,
            "query": query,
            "form": form,
            "selected": selected,
            "errors": errors,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


@login_required
def register_unit(request, pk):
    _require_action(request, Action.REGISTRATION_CHANGE, "Bạn không có quyền đăng ký thi đua cho tập thể.")
    movement = _movement_or_404(request, pk)
    unit = get_unit_or_404(request, request.GET.get("don_vi") or 0, Action.REGISTRATION_CHANGE)
    form = CollectiveRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_register_unit(
                acting_user=request.user,
                movement=movement,
                unit=unit,
                titles=form.cleaned_data["titles"],
                commitments=form.cleaned_data["commitments"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Đã ghi nhận đăng ký thi đua của tập thể “{unit.name}”.")
            return redirect(f"/phong-trao/{movement.pk}/?don_vi={unit.pk}")
    return render(
        request,
        "movements/register.html",
        {
            "movement": movement,
            "form": form,
            "title": f"Đăng ký thi đua tập thể — {unit.name}",
            "unit": unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


@login_required
def progress_report(request, pk):
    _require_action(request, Action.PROGRESS_REPORT, "Bạn không có quyền báo cáo kết quả thi đua.")
    movement = _movement_or_404(request, pk)
    unit = get_unit_or_404(request, request.GET.get("don_vi") or 0, Action.PROGRESS_REPORT)
    targets = list(movement.targets.all())
    form = ProgressReportForm(request.POST or None, targets=targets, initial={"stage": request.GET.get("ky")})
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_submit(
                acting_user=request.user,
                movement=movement,
                unit=unit,
                stage=form.cleaned_data["stage"],
                narrative=form.cleaned_data["narrative"],
                figures=form.figures(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã gửi báo cáo.")
            return redirect(f"/phong-trao/{movement.pk}/?ky={form.cleaned_data['stage']}")
    return render(
        request,
        "movements/report_form.html",
        {
            "movement": movement,
            "unit": unit,
            "form": form,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


# --- evaluation grid -----------------------------------------------------------------------------


def _int(value: str, default: int | None = None) -> int | None:
    value = (value or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        return -1  # reported by the service as out of range


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return dt.date(1900, 1, 1)  # reported as outside the year


def parse_grid(post, person_ids: list[int]) -> list[dict]:
    rows = []
    for pid in person_ids:
        prefix = f"r{pid}-"
        rows.append(
            {
                "person_id": pid,
                "rating": post.get(prefix + "rating", ""),
                "months_worked": _int(post.get(prefix + "months"), 12),
                "absent_days": _int(post.get(prefix + "absent"), 0),
                "maternity_days": _int(post.get(prefix + "maternity"), 0),
                "discipline": post.get(prefix + "discipline", ""),
                "discipline_on": _date(post.get(prefix + "discipline_on", "")),
                "note": post.get(prefix + "note", ""),
            }
        )
    return rows


_GRID_KEY = re.compile(r"r(\d{1,18})-rating")


def grid_person_ids(post) -> list[int]:
    """The people whose rows were posted: the rows of the page the form showed, nothing else."""
    return sorted({int(m.group(1)) for key in post if (m := _GRID_KEY.fullmatch(key))})


@login_required
def evaluation_grid(request):
    """Choose a union group (its members and how many are rated), then rate its members one page at a
    time; a search box finds members by name or card number across the unit's subtree. Saving a page saves
    only its rows, all or nothing."""
    if not can(request.user, Action.EVALUATION_CHANGE):
        raise PermissionDenied("Bạn không có quyền nhập đánh giá, xếp loại.")
    if not request.GET.get("don_vi"):  # from the menu or a bookmark: open on the user's own unit
        roots = orgunit_roots(user=request.user, action=Action.EVALUATION_CHANGE)
        if roots:
            return redirect(f"{request.path}?don_vi={roots[0].pk}")
    unit = get_unit_or_404(request, request.GET.get("don_vi") or 0, Action.EVALUATION_CHANGE)
    year = year_from(request.GET, default=emulation_year())
    query = (request.GET.get("q") or "").strip()[:100]
    overview = selectors.evaluation_groups(user=request.user, unit=unit, year=year)
    groups = overview["groups"]
    direct_only = bool(groups) and not query
    # a CĐCS with thousands of groups: the list of groups pages too (its own page number)
    group_page = Paginator(groups, settings.THIDUA_PAGE_SIZE).get_page(request.GET.get("trang_to"))
    page = paginate(
        request,
        selectors.evaluation_members(user=request.user, unit=unit, query=query, direct_only=direct_only),
    )
    rows = selectors.evaluation_rows(memberships=list(page.object_list), year=year)
    errors: dict[int, str] = {}
    posted = None
    if request.method == "POST":
        person_ids = grid_person_ids(request.POST)
        if len(person_ids) > settings.THIDUA_PAGE_SIZE:
            messages.error(
                request,
                f"Mỗi lần chỉ lưu được một trang (tối đa {settings.THIDUA_PAGE_SIZE} dòng); chưa lưu gì.",
            )
        else:
            posted = parse_grid(request.POST, person_ids)
            try:
                result = services.evaluation_save_grid(
                    acting_user=request.user, unit=unit, year=year, rows=posted
                )
            except services.RowErrors as error:
                errors = {key: message for key, (_, message) in zip(error.keys, error.errors, strict=True)}
                numbers = {row["person"].pk: page.start_index() + i for i, row in enumerate(rows)}
                lines = [
                    f"dòng {numbers[key]} ({label}): {message}" if key in numbers else f"{label}: {message}"
                    for key, (label, message) in zip(error.keys, error.errors, strict=True)
                ]
                messages.error(request, f"{error.message} " + "; ".join(lines[:10]) + ".")
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, f"Đã lưu xếp loại năm {year}: {result['created']} mới, {result['updated']} sửa."
                )
                return redirect(f"{request.path}?{request.GET.urlencode()}")
    posted_by_person = {r["person_id"]: r for r in posted or []}
    for i, row in enumerate(rows):
        row["number"] = page.start_index() + i
        row["posted"] = posted_by_person.get(row["person"].pk)
        row["error"] = errors.get(row["person"].pk)
    return render(
        request,
        "movements/evaluation_grid.html",
        {
            "unit": unit,
            "year": year,
            "query": query,
            "page": page,
            "rows": rows,
            "direct_only": direct_only,
            "ratings": Rating.choices,
            "disciplines": Discipline.choices,
            "groups": group_page.object_list,
            "group_page": group_page,
            "direct": overview["direct"],
            "summary": selectors.evaluation_summary(unit=unit, year=year),
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )
