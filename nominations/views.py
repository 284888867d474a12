"""Nomination screens: inbox, dossier page (items with verdicts, documents, timeline, actions), public
posting page, council voting, decision. Views are thin: every change goes through `services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commendations.models import AwardType
from commendations.selectors import ruleset_names
from core.access import Action, can
from core.downloads import file_response
from core.exceptions import ServiceError
from core.filters import emulation_year
from core.forms import add_service_error
from core.ids import parse_id, parse_ids
from core.pagination import paginate
from members.widgets import person_pick_queryset, unit_pick_queryset
from organizations.abbreviations import issuer_abbreviation
from organizations.selectors import orgunit_breadcrumbs, orgunit_roots
from organizations.shortcuts import get_unit_or_404

from . import selectors, services
from .choices import DossierState, SessionState
from .forms import (
    AuthorityForm,
    DecisionForm,
    DocumentForm,
    DocumentReplaceForm,
    DossierForm,
    ItemEditForm,
    ItemForm,
    PostingForm,
    ReasonForm,
    RevokeForm,
)
from .models import Dossier, DossierDocument, NominationItem
from .services import approval as approval_services
from .services import dossiers as dossier_services
from .visibility import sees_whole_dossier
from .workflow import DOSSIER, EDITABLE, allowed_names, award_needs_vote

# the rights behind the dossier's action form: prepare (submit, recall), review (forward, return, accept),
# issue the decision
DOSSIER_ACTIONS = (Action.NOMINATION_PREPARE, Action.NOMINATION_REVIEW, Action.DECISION_ISSUE)


def _dossier_or_404(request, pk, *, needs: tuple[str, ...] = ()) -> Dossier:
    return selectors.dossier_get_or_404(user=request.user, pk=pk, needs=needs, whole=True)


def _unit_id(request) -> int:
    """The unit of `?don_vi=`: an invalid value (huge, negative, not a number) is no unit — a 404."""
    return parse_id(request.GET.get("don_vi")) or 0


def _flash(request, error: ServiceError) -> None:
    messages.error(request, error.message)


@login_required
def inbox(request):
    if not can(request.user, Action.UNIT_VIEW):
        raise PermissionDenied("Bạn không có quyền xem hồ sơ khen thưởng.")
    state = request.GET.get("trang_thai", "")
    waiting = paginate(request, selectors.inbox_waiting(user=request.user), param="trang_cho")
    drafts = paginate(request, selectors.inbox_drafts(user=request.user), param="trang_soan")
    recent = paginate(request, selectors.inbox_recent(user=request.user, state=state))
    selectors.state_labels(dossiers=recent.object_list)
    overdue = selectors.inbox_flag_deadlines(waiting=waiting.object_list, drafts=drafts.object_list)
    return render(
        request,
        "nominations/inbox.html",
        {
            **selectors.inbox_links(user=request.user),
            "waiting": waiting,
            "drafts": drafts,
            "sessions": selectors.inbox_sessions(user=request.user),
            "overdue": overdue,
            "overdue_of_page": waiting.has_other_pages() or drafts.has_other_pages(),
            "recent": recent,
            "state": state,
            "states": DossierState.choices,
        },
    )


# who may read a unit's calendar: those who prepare or review dossiers there; setting one needs review
DEADLINE_READERS = (Action.NOMINATION_REVIEW, Action.NOMINATION_PREPARE)


@login_required
def deadlines(request):
    """The annual calendar of one unit: the deadlines set by it and by the units above it, which apply
    to its dossiers; those who review dossiers there may set the unit's own."""
    from .forms import DeadlineForm

    readable = [a for a in DEADLINE_READERS if can(request.user, a)]
    if not readable:
        raise PermissionDenied("Bạn không có quyền xem lịch nộp hồ sơ khen thưởng.")
    if not request.GET.get("don_vi"):  # from the menu or the inbox: open on the user's own unit
        for action in readable:
            roots = orgunit_roots(user=request.user, action=action)
            if roots:
                return redirect(f"{request.path}?don_vi={roots[0].pk}")
    unit = _unit_for_any(request, readable)
    may_set = can(request.user, Action.NOMINATION_REVIEW, unit.path)
    if request.method == "POST" and not may_set:
        raise PermissionDenied("Bạn không có quyền đặt hạn nộp hồ sơ của đơn vị này.")
    form = DeadlineForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        services.deadline_set(acting_user=request.user, organiser=unit, **form.cleaned_data)
        messages.success(request, "Đã lưu hạn nộp hồ sơ.")
        return redirect(f"{request.path}?don_vi={unit.pk}")
    return render(
        request,
        "nominations/deadlines.html",
        {
            "unit": unit,
            "form": form if may_set else None,
            "rows": selectors.deadlines_applying(unit=unit),
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


def _unit_for_any(request, actions):
    """The unit of `?don_vi=` where the user holds one of `actions` (404 outside all of them)."""
    for action in actions[:-1]:
        try:
            return get_unit_or_404(request, _unit_id(request), action)
        except (Http404, PermissionDenied):
            continue
    return get_unit_or_404(request, _unit_id(request), actions[-1])


@login_required
def dossier_create(request):
    if not can(request.user, Action.NOMINATION_PREPARE):
        raise PermissionDenied("Bạn không có quyền lập hồ sơ đề nghị khen thưởng.")
    unit = get_unit_or_404(request, _unit_id(request), Action.NOMINATION_PREPARE)
    form = DossierForm(
        request.POST or None,
        initial={"year": emulation_year(), "kind": "YEARLY"},
        authorities=dossier_services.authority_candidates(unit=unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_create(
                acting_user=request.user, proposing_unit=unit, **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            return redirect(dossier)
    return render(
        request,
        "nominations/form.html",
        {
            "form": form,
            "title": "Lập hồ sơ đề nghị khen thưởng",
            "unit": unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


@login_required
def dossier_detail(request, pk):
    user = request.user
    dossier = selectors.dossier_get_or_404(user=user, pk=pk, whole=False)
    if not sees_whole_dossier(user, dossier):
        # a member nominated in the dossier: their own nomination and where the dossier stands — not the
        # others' verdicts, ratings or override reasons, nor the documents and timeline that name them
        return render(
            request,
            "nominations/detail_nominee.html",
            {
                "dossier": dossier,
                "items": selectors.own_items(user=user, dossier=dossier),
                "steps": list(dossier.steps.select_related("level").order_by("id")),
                "crumbs": orgunit_breadcrumbs(user=user, unit=dossier.proposing_unit),
            },
        )
    items = list(dossier.items.select_related("award_type", "person", "unit"))
    # verdicts keep the rule set's code; the page names it (one query for all nominees)
    names = ruleset_names({(i.verdict or {}).get("rule_set") for i in items})
    for item in items:
        item.rule_set_name = names.get((item.verdict or {}).get("rule_set"), "")
    steps = list(dossier.steps.select_related("level", "acted_by").order_by("id"))
    pending = next((s for s in steps if s.verdict == "PENDING"), None)
    actions = allowed_names(dossier, user)
    duplicates = selectors.item_duplicates(user=user, dossier=dossier, items=items)
    award_types = list(_award_types()) if "edit" in actions else []
    for item in items:
        item.duplicates = duplicates.get(item.pk, [])
        if "edit" in actions:
            item.edit_form = ItemEditForm(
                award_types=award_types,
                for_person=bool(item.person_id),
                prefix=f"i{item.pk}",
                initial={
                    "award_type": item.award_type_id,
                    "achievement_summary": item.achievement_summary,
                    "achievement_id": item.achievement_id,
                    "subject_category": item.subject_category,
                    "override_reason": item.override_reason,
                },
            )
    context = {
        **_decision_path(user, dossier, items, actions),
        "dossier": dossier,
        "items": items,
        "steps": steps,
        "pending": pending,
        "documents": list(dossier.documents.all()),
        "timeline": selectors.dossier_timeline(dossier=dossier),
        # exactly the transitions this user may fire now (nominations.workflow.DOSSIER)
        "actions": actions,
        "reason_form": ReasonForm(),
        "posting_form": PostingForm(
            initial={
                "starts_on": timezone.localdate(),
                "ends_on": timezone.localdate() + timezone.timedelta(days=10),
            }
        ),
        "document_form": DocumentForm(),
        "decision_form": DecisionForm(initial=_decision_initial(user, dossier)),
        "crumbs": orgunit_breadcrumbs(user=user, unit=dossier.proposing_unit),
    }
    return render(request, "nominations/detail.html", context)


def _decision_initial(user, dossier) -> dict:
    """The decision form filled as the signer would: today, "QĐ-" and the issuer's abbreviation
    (Nghị định 30/2020: "QĐ-LĐLĐ", "QĐ-CĐCS"), the signing leader's own name."""
    authority = dossier.authority
    return {
        "issued_on": timezone.localdate(),
        "symbol": f"QĐ-{issuer_abbreviation(authority)}" if authority else "QĐ",
        "signer_name": user.get_full_name()
        if authority and can(user, Action.DECISION_ISSUE, authority.path)
        else "",
    }


def _decision_path(user, dossier, items, actions) -> dict:
    """What the dossier page says about the way to a decision: the issuing level being chosen (while
    editable), direct approval where no award needs a council vote, and what a council still needs."""
    award_types = {i.award_type for i in items}
    needs_vote = any(award_needs_vote(a.code) for a in award_types)
    context: dict = {"needs_vote": needs_vote, "state_label": dossier.get_state_display()}
    if "edit" in actions:
        candidates = dossier_services.authority_candidates(
            unit=dossier.proposing_unit, award_types=award_types
        )
        context["authority_form"] = AuthorityForm(
            authorities=candidates,
            nearest=candidates[0] if award_types and candidates else None,
            initial={"authority": dossier.chosen_authority_id or ""},
        )
        context["authority_problem"] = (
            dossier_services.chosen_authority_problem(dossier=dossier, award_types=award_types)
            if dossier.chosen_authority_id and award_types
            else None
        )
    if dossier.state in EDITABLE:
        context["issuing_level"] = dossier.chosen_authority
    waiting = dossier.state in (DossierState.POSTED, DossierState.IN_COUNCIL) and dossier.authority
    if waiting and not needs_vote and dossier.state == DossierState.IN_COUNCIL:
        context["state_label"] = (
            "Đã xét duyệt, chờ ký quyết định" if dossier.approved_at else "Chờ xét duyệt trực tiếp"
        )
    if waiting and needs_vote:
        authority = dossier.authority
        seats = selectors.council_members(unit=authority, on=timezone.localdate()).count()
        may_organise = can(user, Action.NOMINATION_REVIEW, authority.path)
        if seats == 0:
            context["no_council"] = True
            context["council_members_url"] = (
                _council_members_url(authority)
                if may_organise or can(user, Action.ROLE_MANAGE, authority.path)
                else None
            )
        elif dossier.state == DossierState.IN_COUNCIL:
            sessions = list(dossier.council_sessions.order_by("-pk"))
            open_session = next((s for s in sessions if s.state == SessionState.OPEN), None)
            if open_session is not None:
                context["open_session"] = open_session  # its page: the ballot, closed by the organiser
                context["state_label"] = "Hội đồng đang bỏ phiếu"
            elif any(s.state == SessionState.CLOSED for s in sessions):
                context["state_label"] = "Hội đồng đã bỏ phiếu, chờ ký quyết định"
            elif may_organise:
                context["session_open_url"] = f"{reverse('nominations:session_open')}?don_vi={authority.pk}"
    if "approve" in actions:
        for item in items:
            item.approve_yes = item.status != "REJECTED"
    return context


def _council_members_url(unit) -> str | None:
    """The council-seat screen of `unit`, where it exists (`nominations:council_members`)."""
    try:
        return f"{reverse('nominations:council_members')}?don_vi={unit.pk}"
    except NoReverseMatch:
        return None


def _award_types():
    return AwardType.objects.filter(active=True).order_by("position", "name")


def _duplicate_warning(request, item) -> None:
    """At add time: the same person or unit already proposed for the same award and year elsewhere — a
    warning, not a block (the other dossier named only when the user may see it)."""
    found = selectors.item_duplicates(user=request.user, dossier=item.dossier, items=[item]).get(item.pk)
    if not found:
        return
    named = [f"“{d.title}” ({d.proposing_unit.name})" for d in found if d is not None]
    text = (
        f"Lưu ý: {item.nominee} đã được đề nghị cùng hình thức {item.award_type.name} năm {item.dossier.year}"
    )
    text += " trong hồ sơ " + ", ".join(named) if named else " trong một hồ sơ khác"
    messages.warning(request, text + ".")


@login_required
def item_add(request, pk):
    dossier = _dossier_or_404(request, pk, needs=(Action.NOMINATION_PREPARE,))
    if not can(request.user, Action.NOMINATION_PREPARE, dossier.proposing_unit.path):
        raise PermissionDenied("Bạn không có quyền sửa hồ sơ này.")
    unit = dossier.proposing_unit
    # the pickers search (members:person_search / unit_search) and validate against the same querysets:
    # whom the user may nominate, inside the proposing unit — never the full list of members in the page
    scope = {"user": request.user, "action": Action.NOMINATION_PREPARE, "unit": unit}
    form = ItemForm(
        request.POST or None,
        persons=person_pick_queryset(**scope),
        units=unit_pick_queryset(**scope),
        award_types=_award_types(),
        picker_params={"quyen": Action.NOMINATION_PREPARE, "don_vi": unit.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_add(acting_user=request.user, dossier=dossier, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if not item.eligible:
                messages.warning(
                    request, f"Đã thêm {item.nominee} nhưng chưa đủ điều kiện — xem giải thích bên dưới."
                )
            elif not item.has_automatic_criteria:
                messages.success(
                    request,
                    f"Đã thêm {item.nominee}: {item.award_type.name} chưa có tiêu chí tự động — "
                    "cán bộ kiểm tra hồ sơ.",
                )
            else:
                messages.success(request, f"Đã thêm {item.nominee}: đủ điều kiện.")
            _duplicate_warning(request, item)
            return redirect(dossier)
    return render(
        request,
        "nominations/form.html",
        {
            "form": form,
            "title": f"Thêm đề nghị — {dossier.title}",
            "unit": unit,
            "dossier": dossier,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


@login_required
@require_POST
def item_edit(request, pk, item_pk):
    dossier = _dossier_or_404(request, pk, needs=(Action.NOMINATION_PREPARE,))
    item = get_object_or_404(NominationItem, pk=item_pk, dossier=dossier)
    prefix = f"i{item.pk}"
    data = request.POST.copy()
    # a post without the prefix (the short form: summary and reason) keeps the award and achievement id
    kept = {
        "award_type": item.award_type_id,
        "achievement_id": item.achievement_id,
        "subject_category": item.subject_category,
    }
    names = ("award_type", "achievement_id", "achievement_summary", "subject_category", "override_reason")
    for name in names:
        if f"{prefix}-{name}" not in data:
            data[f"{prefix}-{name}"] = data.get(name, kept.get(name, ""))
    form = ItemEditForm(
        data, award_types=list(_award_types()), for_person=bool(item.person_id), prefix=prefix
    )
    if not form.is_valid():
        messages.error(
            request,
            f"Chưa lưu đề nghị cho {item.nominee}: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return redirect(dossier)
    try:
        item = services.item_update(acting_user=request.user, item=item, **form.cleaned_data)
    except ServiceError as error:
        _flash(request, error)
    else:
        if item.eligible is not False:
            messages.success(request, f"Đã lưu đề nghị cho {item.nominee}.")
        else:
            messages.warning(
                request, f"Đã lưu đề nghị cho {item.nominee}: chưa đủ điều kiện — xem giải thích bên dưới."
            )
        _duplicate_warning(request, item)
    return redirect(dossier)


@login_required
@require_POST
def item_remove(request, pk, item_pk):
    dossier = _dossier_or_404(request, pk, needs=(Action.NOMINATION_PREPARE,))
    item = get_object_or_404(
        NominationItem.objects.select_related("person", "unit"), pk=item_pk, dossier=dossier
    )
    nominee = str(item.nominee)
    try:
        services.item_remove(acting_user=request.user, item=item)
    except ServiceError as error:
        _flash(request, error)
    else:
        messages.success(request, f"Đã bỏ {nominee} khỏi hồ sơ.")
    return redirect(dossier)


@login_required
def document_download(request, pk, doc_pk):
    """A file attached to the dossier, for everyone who may read the whole dossier (the reviewers up its
    route included); 404 for anyone else, as the dossier page."""
    dossier = _dossier_or_404(request, pk)
    document = get_object_or_404(DossierDocument, pk=doc_pk, dossier=dossier)
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as error:
        raise Http404("Không tìm thấy tệp của tài liệu này.") from error
    return file_response(content, document.filename)


@login_required
@require_POST
def document_replace(request, pk, doc_pk):
    dossier = _dossier_or_404(request, pk, needs=(Action.NOMINATION_PREPARE,))
    document = get_object_or_404(DossierDocument, pk=doc_pk, dossier=dossier)
    form = DocumentReplaceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_replace(
                acting_user=request.user, document=document, file=form.cleaned_data["file"]
            )
        except ServiceError as error:
            _flash(request, error)
        else:
            messages.success(request, f"Đã thay tệp {document.get_kind_display().lower()}.")
    else:
        messages.error(request, f"Chọn tệp mới cho {document.get_kind_display().lower()}.")
    return redirect(dossier)


@login_required
@require_POST
def document_add(request, pk):
    dossier = _dossier_or_404(request, pk, needs=(Action.NOMINATION_PREPARE,))
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(acting_user=request.user, dossier=dossier, **form.cleaned_data)
        except ServiceError as error:
            _flash(request, error)
    else:
        messages.error(request, "Chọn loại tài liệu và tệp đính kèm.")
    return redirect(dossier)


ACTIONS = {
    "submit": lambda u, d, r, s: services.dossier_submit(acting_user=u, dossier=d),
    "recall": lambda u, d, r, s: services.dossier_recall(acting_user=u, dossier=d, reason=r),
    "open": lambda u, d, r, s: services.step_open(acting_user=u, dossier=d, step_id=s),
    "forward": lambda u, d, r, s: services.step_forward(acting_user=u, dossier=d, note=r, step_id=s),
    "accept": lambda u, d, r, s: services.step_accept(acting_user=u, dossier=d, note=r, step_id=s),
}
DONE = {
    "submit": "Đã gửi hồ sơ lên cấp trên.",
    "recall": "Đã rút lại hồ sơ.",
    "open": "Đã mở hồ sơ.",
    "forward": "Đã chuyển hồ sơ lên cấp trên.",
    "accept": "Đã tiếp nhận hồ sơ.",
    "return": "Đã trả lại hồ sơ.",
    "approve": "Đã xét duyệt hồ sơ; chờ lãnh đạo ký quyết định.",
    "authority": "Đã lưu cấp khen thưởng.",
}
# posted actions that are not transitions of their own: the issuing level is part of editing
ACTION_TRANSITION = {"authority": "edit"}


@login_required
@require_POST
def dossier_action(request, pk):
    action = request.POST.get("action", "")
    transition = DOSSIER.by_name.get(ACTION_TRANSITION.get(action, action))
    dossier = _dossier_or_404(request, pk, needs=(transition.action,) if transition else DOSSIER_ACTIONS)
    reason = request.POST.get("reason", "")
    # the step the reviewer saw; a huge or non-numeric one matches no step (0): "already handled", not a 500
    raw_step = request.POST.get("step", "")
    step_id = (parse_id(raw_step) or 0) if raw_step else None
    try:
        if action == "return":
            ids = parse_ids(request.POST.getlist("items"))
            items = list(dossier.items.filter(pk__in=ids)) if ids else None
            services.step_return(
                acting_user=request.user, dossier=dossier, reason=reason, items=items, step_id=step_id
            )
        elif action == "post":
            form = PostingForm(request.POST)
            if not form.is_valid():
                raise ServiceError("Nhập ngày bắt đầu và kết thúc công khai.")
            services.posting_open(acting_user=request.user, dossier=dossier, **form.cleaned_data)
        elif action == "decide":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ServiceError("Nhập đủ ký hiệu, ngày ký, người ký và chức vụ.")
            decision = services.decision_issue(acting_user=request.user, dossier=dossier, **form.cleaned_data)
            messages.success(
                request, f"Đã ban hành Quyết định số {decision.number}." if decision else "Không khen thưởng."
            )
            return redirect(dossier)
        elif action == "approve":
            verdicts = {}
            for item in dossier.items.all():
                value = request.POST.get(f"xet_{item.pk}", "")
                if value in ("1", "0"):
                    verdicts[item.pk] = value == "1"
            approval_services.dossier_approve(
                acting_user=request.user, dossier=dossier, verdicts=verdicts, note=reason
            )
        elif action == "authority":
            items = dossier.items.select_related("award_type")
            form = AuthorityForm(
                request.POST,
                authorities=dossier_services.authority_candidates(
                    unit=dossier.proposing_unit, award_types={i.award_type for i in items}
                ),
            )
            if not form.is_valid():
                raise ServiceError(" ".join(str(e) for e in form.errors.get("authority", [])))
            dossier_services.dossier_choose_authority(
                acting_user=request.user, dossier=dossier, authority=form.cleaned_data["authority"]
            )
        elif action in ACTIONS:
            ACTIONS[action](request.user, dossier, reason, step_id)
        else:
            raise ServiceError("Thao tác không hợp lệ.")
    except ServiceError as error:
        _flash(request, error)
    else:
        if action != "decide":
            messages.success(request, DONE.get(action, "Đã thực hiện."))
    return redirect(dossier)


@login_required
def award_revoke(request, pk):
    """Revoke an award of the registry (R-REV-01): signed by a leader of the issuing unit."""
    from commendations.models import AwardRecord
    from core.access import restrict

    if not can(request.user, Action.DECISION_ISSUE):
        raise PermissionDenied("Bạn không có quyền thu hồi khen thưởng.")
    try:
        record = restrict(
            AwardRecord.objects.select_related("award_type", "person", "unit", "issuing_unit", "scope_unit"),
            request.user,
            Action.UNIT_VIEW,
        ).get(pk=pk)
    except AwardRecord.DoesNotExist as exc:
        raise Http404("Không tìm thấy khen thưởng hoặc bạn không có quyền xem.") from exc
    form = RevokeForm(request.POST or None, initial={"revoked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.award_revoke(
                acting_user=request.user,
                record=record,
                reason=form.cleaned_data["reason"],
                decision_ref=form.cleaned_data["decision_ref"],
                revoked_on=form.cleaned_data["revoked_on"],
            )
        except PermissionDenied:
            form.add_error(None, "Chỉ lãnh đạo của đơn vị đã ban hành quyết định mới được thu hồi.")
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "Đã thu hồi khen thưởng. Các khen thưởng liên quan được đánh dấu cần xem xét lại."
            )
            return redirect(f"/khen-thuong/so-khen-thuong/?don_vi={record.scope_unit_id}")
    subject = record.person or record.unit
    title = f"Thu hồi {record.award_type.name} năm {record.year} — {subject}"
    return render(
        request,
        "nominations/form.html",
        {
            "form": form,
            "title": title,
            "unit": record.scope_unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=record.scope_unit),
        },
    )
