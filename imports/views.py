"""Import screens, the same for every kind: the kinds a unit may import → upload → (reading) → sheet and
columns → preview of every row → commit in the background → result. Plus the template and the error file."""

from __future__ import annotations

import os
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import uploads
from core.access import can
from core.downloads import file_response
from core.exceptions import ServiceError
from core.forms import BootstrapFormMixin
from core.ids import parse_id
from organizations.selectors import orgunit_breadcrumbs
from organizations.shortcuts import get_unit_or_404

from . import kinds, reading, selectors, services, xlsx
from .kinds import OUTCOME_LABELS, Outcome
from .models import ImportBatch
from .tasks import batch_commit_task, batch_read_task, get_progress
from .workflow import IMPORT, IN_PROGRESS, allowed_names

PAGE = 100


def _kind_or_404(key: str) -> kinds.ImportKind:
    try:
        return kinds.get(key)
    except kinds.UnknownKind as exc:
        raise Http404("Không có loại dữ liệu này.") from exc


def _batch_or_404(request, pk) -> ImportBatch:
    number = parse_id(pk)
    try:
        if number is None:
            raise ImportBatch.DoesNotExist
        return selectors.batch_get(user=request.user, pk=number)
    except ImportBatch.DoesNotExist as exc:
        raise Http404("Không tìm thấy lần nhập này hoặc bạn không có quyền xem.") from exc


def _context(request, batch, **extra) -> dict:
    return {
        "batch": batch,
        "kind": kinds.get(batch.kind),
        "unit": batch.unit,
        "crumbs": orgunit_breadcrumbs(user=request.user, unit=batch.unit),
        "actions": allowed_names(batch, request.user),
        **extra,
    }


@login_required
def index(request):
    """ "Nhập dữ liệu từ tệp" of a unit: what may be imported there, and the unit's recent imports."""
    if not selectors.may_import(request.user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu.")
    unit = get_unit_or_404(request, request.GET.get("don_vi"))
    available = selectors.kinds_for(user=request.user, unit=unit)
    if not available:
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu vào đơn vị này.")
    keys = [k.key for k in available]
    recent = selectors.batches_visible(user=request.user).filter(unit=unit, kind__in=keys)[:20]
    return render(
        request,
        "imports/index.html",
        {
            "unit": unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
            "available": available,
            "recent": [(b, kinds.get(b.kind)) for b in recent],
        },
    )


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label="Tệp (.xlsx, .xls, .ods)", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"})
    )

    def clean_file(self):
        """The upload guard (`core.uploads`) before anything parses the file; the parse happens once, in the
        worker."""
        upload = self.cleaned_data["file"]
        try:
            reading.check_name(upload.name)
            if upload.size > uploads.limit("THIDUA_UPLOAD_MAX_BYTES"):
                raise reading.FileProblem(uploads.too_large_message())
            if hasattr(upload, "temporary_file_path"):
                reading.guard(upload.temporary_file_path(), upload.name)
            else:
                with tempfile.NamedTemporaryFile(suffix=os.path.splitext(upload.name)[1]) as copy:
                    for chunk in upload.chunks():
                        copy.write(chunk)
                    copy.flush()
                    reading.guard(copy.name, upload.name)
        except reading.FileProblem as problem:
            raise forms.ValidationError(str(problem)) from problem
        upload.seek(0)
        return upload


def _options(request, kind) -> dict:
    options = {}
    for name in kind.options:
        value = request.POST.get(name) or request.GET.get(name)
        if value:
            options[name] = value
    return options


@uploads.limit_upload_size
@login_required
def upload(request, kind):
    kind = _kind_or_404(kind)
    unit = get_unit_or_404(request, request.GET.get("don_vi") or request.POST.get("don_vi"), kind.action)
    options = _options(request, kind)
    if kind.started_from and any(name not in options for name in kind.options):
        messages.info(request, kind.started_from)
        return redirect(f"{reverse('imports:index')}?don_vi={unit.pk}")
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.is_valid()  # the file was dropped while the request was read: say why, not "missing"
        form.errors.pop("file", None)
        form.add_error("file", uploads.too_large_message())
    elif request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(
                acting_user=request.user,
                kind=kind,
                unit=unit,
                upload=form.cleaned_data["file"],
                options=options,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            batch_read_task.enqueue(batch.pk)
            return redirect("imports:status", batch.pk)
    return render(
        request,
        "imports/upload.html",
        {
            "kind": kind,
            "unit": unit,
            "form": form,
            "options": options,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit),
        },
    )


@login_required
def template(request, kind):
    kind = _kind_or_404(kind)
    if not can(request.user, kind.action):
        raise PermissionDenied("Bạn không có quyền nhập loại dữ liệu này.")
    return file_response(xlsx.template_workbook(kind), f"mau-{kind.key}.xlsx")


@login_required
def status(request, pk):
    """Where a batch stands: reading (polled), read (→ columns), committing (progress), done or failed."""
    batch = _batch_or_404(request, pk)
    S = ImportBatch.Status
    gone = batch.pruned_at is not None or not batch.rows_file
    if gone and batch.status in (S.UPLOADED, S.CHECKED, S.INVALID):
        context = _context(request, batch, progress=get_progress(batch.pk), running=False, gone=reading.GONE)
        return render(request, "imports/_progress.html" if request.htmx else "imports/status.html", context)
    if batch.status == S.UPLOADED:
        target = reverse("imports:mapping", args=[batch.pk])
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    if batch.status in (S.CHECKED, S.INVALID) and not batch.result:
        target = reverse("imports:preview", args=[batch.pk])
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    kind = kinds.get(batch.kind)
    link = kind.result_link(batch) if kind.result_link and batch.status == S.DONE else None
    context = _context(
        request, batch, progress=get_progress(batch.pk), running=batch.status in IN_PROGRESS, result_link=link
    )
    if request.htmx:
        return render(request, "imports/_progress.html", context)
    return render(request, "imports/status.html", context)


class MappingForm(BootstrapFormMixin, forms.Form):
    header_row = forms.IntegerField(label="Dòng tiêu đề cột (số dòng trong bảng tính)", min_value=1)
    header_rows = forms.TypedChoiceField(
        label="Tiêu đề cột gồm",
        choices=[(1, "Một dòng"), (2, "Hai dòng (ô gộp ở dòng trên)")],
        coerce=int,
    )
    title_case = forms.BooleanField(
        label="Tên viết hoa toàn bộ (NGUYỄN VĂN AN) đổi thành viết hoa chữ đầu (Nguyễn Văn An)",
        required=False,
    )

    def __init__(self, *args, kind, headings: list[str], composed: frozenset = frozenset(), **kwargs):
        """`composed`: keys the layout gives without a single column (name parts, Nam/Nữ sub-columns):
        not required here, and said so under their select."""
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [("", "— Không nhập —")] + [
            (str(i), f"{reading.column_name(i)}: {text}") for i, text in enumerate(headings)
        ]
        for name, label in kind.flags:
            self.fields[f"flag_{name}"] = forms.BooleanField(label=label, required=False)
        for column in kind.columns:
            self.fields[column.key] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=column.required and column.key not in composed,
                help_text="Đã đọc từ các cột con của tệp." if column.key in composed else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for column in self.kind.columns:
            index = cleaned.get(column.key)
            if index:
                if index in used:
                    self.add_error(column.key, f"Cột này đã được chọn cho “{used[index]}”.")
                used[index] = column.label
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {
            c.key: int(self.cleaned_data[c.key]) for c in self.kind.columns if self.cleaned_data.get(c.key)
        }


@login_required
def mapping(request, pk):
    """The sheet, the header row(s) and the column of each field; saving checks every row."""
    batch = _batch_or_404(request, pk)
    kind = kinds.get(batch.kind)
    if batch.status in IN_PROGRESS or batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
        return redirect("imports:status", batch.pk)
    if batch.status == ImportBatch.Status.UNREADABLE:
        return redirect("imports:status", batch.pk)
    try:
        head = reading.head_rows(batch)
    except reading.FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("imports:status", batch.pk)
    headings = reading.headings(head, batch.merged, batch.header_row, batch.header_rows)
    initial = {
        "header_row": batch.header_row + 1,
        "header_rows": batch.header_rows,
        "title_case": bool(batch.options.get("title_case")),
        **{f"flag_{name}": bool(batch.options.get(name)) for name, _label in kind.flags},
    }
    initial |= {key: str(index) for key, index in batch.mapping.items()}
    composed = reading.composed_keys(kind, head, batch.merged, batch.header_row)
    form = MappingForm(request.POST or None, kind=kind, headings=headings, initial=initial, composed=composed)
    if request.method == "POST":
        if request.POST.get("sheet") and request.POST["sheet"] != batch.sheet:
            try:
                services.batch_sheet_choose(
                    acting_user=request.user, batch=batch, sheet=request.POST["sheet"]
                )
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect("imports:mapping", batch.pk)
            batch_read_task.enqueue(batch.pk)
            return redirect("imports:status", batch.pk)
        if form.is_valid():
            header_row = form.cleaned_data["header_row"] - 1
            header_rows = form.cleaned_data["header_rows"]
            new_header = (header_row, header_rows) != (batch.header_row, batch.header_rows)
            mapping_ = (
                reading.guess_mapping(kind, head, batch.merged, header_row, header_rows)
                if new_header
                else (form.mapping())
            )
            try:
                batch = services.batch_mapping_set(
                    acting_user=request.user,
                    batch=batch,
                    header_row=header_row,
                    header_rows=header_rows,
                    mapping=mapping_,
                    title_case=form.cleaned_data["title_case"],
                    flags={name: form.cleaned_data[f"flag_{name}"] for name, _label in kind.flags},
                )
                if new_header:  # the columns are guessed again for the new header: show them first
                    messages.info(request, "Đã đọc lại tiêu đề cột theo dòng mới: hãy xem lại ghép cột.")
                    return redirect("imports:mapping", batch.pk)
                services.batch_check(acting_user=request.user, batch=batch)
            except (ServiceError, reading.FileProblem) as error:
                form.add_error(None, getattr(error, "message", str(error)))
            else:
                return redirect("imports:preview", batch.pk)
    sample_from = batch.header_row + batch.header_rows
    sample = [(n + 1, [reading.display(c) for c in row]) for n, row in enumerate(head) if n >= sample_from][
        :8
    ]
    return render(
        request,
        "imports/mapping.html",
        _context(
            request,
            batch,
            form=form,
            headings=headings,
            sample=sample,
            visible_sheets=[s for s in batch.sheets if s.get("visible", True)],
        ),
    )


@login_required
def preview(request, pk):
    """Every row's outcome (new / update / possible duplicate / skipped / error), filtered and paged."""
    batch = _batch_or_404(request, pk)
    if batch.status not in (ImportBatch.Status.CHECKED, ImportBatch.Status.INVALID):
        return redirect("imports:status", batch.pk)
    try:
        plans = reading.stored_plans(batch)
    except reading.FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("imports:status", batch.pk)
    shown = request.GET.get("loai", "")
    if shown not in {o.value for o in Outcome}:
        shown = Outcome.ERROR.value if batch.counts.get("error") else ""
    rows = [p for p in plans if not shown or p["outcome"] == shown]
    page = Paginator(rows, PAGE).get_page(request.GET.get("trang"))
    tabs = [(o.value, OUTCOME_LABELS[o], batch.counts.get(o.value, 0)) for o in Outcome]
    return render(
        request,
        "imports/preview.html",
        _context(
            request,
            batch,
            page=page,
            shown=shown,
            tabs=tabs,
            labels={o.value: OUTCOME_LABELS[o] for o in Outcome},
            confirmed=set(batch.options.get("confirm_duplicates", [])),
            may_confirm=kinds.get(batch.kind).confirms_duplicates
            and "check" in allowed_names(batch, request.user),
        ),
    )


@login_required
def error_file(request, pk):
    batch = _batch_or_404(request, pk)
    try:
        data = xlsx.error_workbook(batch)
    except reading.FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("imports:status", batch.pk)
    stem = os.path.splitext(batch.original_name)[0] or "tep"
    return file_response(data, f"{stem}-kiem-tra.xlsx")


@require_POST
@login_required
def confirm(request, pk):
    """The rows shown as possible duplicates that the officer ticks "Vẫn thêm mới" (checked again)."""
    batch = _batch_or_404(request, pk)
    numbers = [n for n in (parse_id(v) for v in request.POST.getlist("xac_nhan")) if n is not None]
    try:
        services.batch_duplicates_confirm(acting_user=request.user, batch=batch, numbers=numbers)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã kiểm tra lại với {len(numbers)} dòng được xác nhận là thêm mới.")
    return redirect(f"{reverse('imports:preview', args=[batch.pk])}?loai=duplicate")


@require_POST
@login_required
def commit(request, pk):
    batch = _batch_or_404(request, pk)
    try:
        services.batch_commit_queue(acting_user=request.user, batch=batch)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("imports:preview", batch.pk)
    batch_commit_task.enqueue(batch.pk)
    return redirect("imports:status", batch.pk)


__all__ = ["IMPORT"]
