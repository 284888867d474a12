"""Roster screens: upload → map columns → preview (row errors, error file) → commit in the background
with a progress bar → done. Also the template download and the unit export."""

from __future__ import annotations

import os
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import uploads
from core.access import Action, can
from core.downloads import file_response
from core.exceptions import ServiceError
from core.forms import BootstrapFormMixin
from core.text import fold
from organizations.forms import UnitChoiceField
from organizations.models import OrgUnit
from organizations.selectors import orgunit_breadcrumbs, orgunit_visible
from organizations.shortcuts import get_unit_or_404

from . import roster, services
from .models import RosterImport
from .selectors import roster_import_get
from .tasks import get_progress, roster_import_task, roster_read_task, set_progress
from .workflow import ROSTER, allowed_names

PREVIEW_ERRORS = 200


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename)


class RosterUploadForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label="Nhập vào đơn vị", queryset=OrgUnit.objects.none(), empty_label=None)
    file = forms.FileField(
        label="Tệp danh sách (.xlsx, .xls, .ods)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        """The upload guard (`core.uploads`: size, archive, declared sheet range) before anything parses
        the file; the parse itself happens once, in the worker (`roster_read_task`)."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(roster.ALLOWED_EXTENSIONS):
            raise forms.ValidationError("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice (.ods).")
        if upload.size > uploads.limit("THIDUA_UPLOAD_MAX_BYTES"):
            raise forms.ValidationError(uploads.too_large_message())
        try:
            if hasattr(upload, "temporary_file_path"):
                roster.check_upload(upload.temporary_file_path(), upload.name)
            else:
                with tempfile.NamedTemporaryFile(suffix=os.path.splitext(upload.name)[1]) as copy:
                    for chunk in upload.chunks():
                        copy.write(chunk)
                    copy.flush()
                    roster.check_upload(copy.name, upload.name)
        except roster.RosterFileError as error:
            raise forms.ValidationError(str(error)) from error
        upload.seek(0)
        return upload


class RosterMappingForm(BootstrapFormMixin, forms.Form):
    header_row = forms.IntegerField(label="Dòng tiêu đề cột (số dòng trong bảng tính)", min_value=1)

    def __init__(self, *args, header: list, width: int | None = None, **kwargs):
        """`header`: the shaped header (`roster.shape`): the sheet's `width` columns, named by their
        letter, then the composed ones (the name parts joined, the gender from the Nam/Nữ columns…)."""
        super().__init__(*args, **kwargs)
        width = len(header) if width is None else width
        choices = [("", "— Không nhập —")] + [
            (
                str(i),
                f"{roster.column_name(i)}: {roster.header_label(header, i)}"
                if i < width
                else f"Ghép: {roster.header_label(header, i)}",
            )
            for i in range(len(header))
        ]
        for f in roster.FIELDS:
            self.fields[f.key] = forms.ChoiceField(
                label=f.label,
                choices=choices,
                required=f.required,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for f in roster.FIELDS:
            column = cleaned.get(f.key)
            if column:
                if column in used:
                    self.add_error(f.key, f"Cột này đã được chọn cho “{used[column]}”.")
                used[column] = f.label
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {f.key: int(self.cleaned_data[f.key]) for f in roster.FIELDS if self.cleaned_data.get(f.key)}


def _units_for_import(request):
    return (
        orgunit_visible(user=request.user, action=Action.PERSON_CHANGE)
        .filter(unit_type__holds_members=True, valid_to__isnull=True)
        .select_related("unit_type")
        .order_by("path")
    )


def _import_or_404(request, pk) -> RosterImport:
    if not can(request.user, Action.PERSON_CHANGE):
        raise PermissionDenied("Bạn không có quyền nhập danh sách đoàn viên.")
    try:
        record = roster_import_get(user=request.user, pk=pk)
    except RosterImport.DoesNotExist as exc:
        raise Http404("Không tìm thấy lần nhập này hoặc bạn không có quyền xem.") from exc
    if not can(request.user, Action.PERSON_CHANGE, record.unit.path):
        raise Http404("Không tìm thấy lần nhập này hoặc bạn không có quyền xem.")
    return record


def _rows(record: RosterImport, limit: int | None = None) -> list[list]:
    """The rows the worker read and stored (no spreadsheet parser runs in a request)."""
    return roster.stored_rows(record, limit)


def _shaped(record: RosterImport, rows: list[list], header_row: int | None = None) -> roster.Shaped:
    """The stored rows as the check reads them: noise rows out, composed columns in (`roster.shape`)."""
    return roster.shape(rows, record.merged, record.header_row if header_row is None else header_row)


def _visible_sheets(record: RosterImport) -> list[str]:
    return [s["name"] for s in record.sheets if s.get("visible") and not s.get("empty")]


def _gone(request, record, error):
    """The stored rows are gone (pruned after the commit or the retention days): upload again."""
    messages.error(request, str(error))
    return redirect(f"{reverse('members:roster_upload')}?don_vi={record.unit_id}")


def _reading(request, record):
    """The worker has not read the upload yet: the progress card, refreshed until it has."""
    return render(request, "members/roster_status.html", _status_context(request, record))


@login_required
@uploads.limit_upload_size
def roster_upload(request):
    if not can(request.user, Action.PERSON_CHANGE):
        raise PermissionDenied("Bạn không có quyền nhập danh sách đoàn viên.")
    unit = (
        get_unit_or_404(request, request.GET["don_vi"], Action.PERSON_CHANGE)
        if request.GET.get("don_vi")
        else None
    )
    units = _units_for_import(request)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    form = RosterUploadForm(
        request.POST or None, request.FILES or None, units=units, initial={"unit": unit.pk if unit else None}
    )
    valid = request.method == "POST" and form.is_valid()
    if request.method == "POST" and request.upload_too_large:  # dropped while the request was read
        form.errors["file"] = form.error_class([uploads.too_large_message()])
        valid = False
    if valid:
        upload = form.cleaned_data["file"]
        record = RosterImport.objects.create(  # waits for the worker to read it (the initial state)
            unit=form.cleaned_data["unit"],
            created_by=request.user,
            file=upload,
            original_name=upload.name[:255],
        )
        set_progress(record.pk, "read", 0, 1)
        result = roster_read_task.enqueue(record.pk)
        RosterImport.objects.filter(pk=record.pk).update(task_id=str(result.id))
        return redirect("members:roster_mapping", record.pk)
    return render(
        request,
        "members/roster_upload.html",
        {
            "form": form,
            "unit": unit,
            "fields": roster.FIELDS,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=unit) if unit else [],
        },
    )


@login_required
def roster_mapping(request, pk):
    record = _import_or_404(request, pk)
    if record.status in ROSTER["read"].sources and request.method == "GET":
        return _reading(request, record)
    if not ROSTER.may(record, "map", request.user):  # sent to the worker: its page tells the outcome
        return redirect("members:roster_status", record.pk)
    if record.sheet_pending and request.method == "GET":  # another sheet chosen: the worker reads it
        return _reading(request, record)
    if request.method == "POST" and request.POST.get("action") == "sheet":
        return _choose_sheet(request, record)
    header_row = record.header_row
    if request.method == "POST" and request.POST.get("header_row", "").isdigit():
        header_row = min(max(int(request.POST["header_row"]) - 1, 0), 10**6)
    try:  # the header rows and a few sample rows: only the top of the stored rows is read
        rows = _rows(record, max(header_row, record.header_row, roster.HEADER_SCAN_ROWS) + 12)
        shaped = _shaped(record, rows, header_row) if header_row < len(rows) else None
    except roster.RosterFileError as error:
        return _gone(request, record, error)
    header = shaped.header if shaped else []
    initial = {"header_row": record.header_row + 1} | {k: str(v) for k, v in record.mapping.items()}
    form = RosterMappingForm(
        request.POST or None, header=header, width=shaped.width if shaped else 0, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        moved = header_row != record.header_row
        try:
            services.roster_mapping_set(
                acting_user=request.user,
                record=record,
                header_row=header_row,
                mapping=shaped.mapping if moved and shaped else form.mapping(),
            )
        except ServiceError as error:  # sent to the worker meanwhile
            messages.error(request, error.message)
            return redirect("members:roster_status", record.pk)
        if moved or request.POST.get("action") == "reload":
            return redirect("members:roster_mapping", record.pk)
        return redirect("members:roster_preview", record.pk)
    samples = []
    if shaped:
        body = [r for r in shaped.rows[shaped.header_row + 1 :] if r]
        samples = [[roster.display(c) for c in row] for row in body[:3]]
    return render(
        request,
        "members/roster_mapping.html",
        {
            "record": record,
            "form": form,
            "samples": samples,
            "header": header,
            "sheets": _visible_sheets(record),
            "unit": record.unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=record.unit),
        },
    )


def _choose_sheet(request, record):
    """Another sheet of the workbook: the worker reads it (the rows of the sheet read so far stay until
    it has)."""
    sheet = request.POST.get("sheet", "")
    try:
        services.roster_sheet_choose(acting_user=request.user, record=record, sheet=sheet)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("members:roster_mapping", record.pk)
    if record.sheet_pending:
        set_progress(record.pk, "read", 0, 1)
        result = roster_read_task.enqueue(record.pk)
        RosterImport.objects.filter(pk=record.pk).update(task_id=str(result.id))
    return redirect("members:roster_mapping", record.pk)


@login_required
def roster_preview(request, pk):
    record = _import_or_404(request, pk)
    if record.status in ROSTER["read"].sources and request.method == "GET":
        return _reading(request, record)
    if not ROSTER.may(record, "check", request.user):  # sent to the worker: its page tells the outcome
        return redirect("members:roster_status", record.pk)
    try:
        rows = _rows(record)
    except roster.RosterFileError as error:
        return _gone(request, record, error)
    try:
        shaped = _shaped(record, rows)
        rows = shaped.rows
        plan = services.roster_check(acting_user=request.user, record=record, rows=rows)
        plan.skipped = shaped.skipped
    except roster.RosterFileError as error:
        messages.error(request, str(error))
        return redirect("members:roster_mapping", record.pk)
    except ServiceError as error:  # sent to the worker meanwhile
        messages.error(request, error.message)
        return redirect("members:roster_status", record.pk)
    columns = [(f.label, record.mapping[f.key]) for f in roster.FIELDS if f.key in record.mapping]
    sample = [
        (
            r.row,
            [roster.display(rows[r.row - 1][i]) if i < len(rows[r.row - 1]) else "" for _, i in columns],
            r,
        )
        for r in plan.records[:10]
    ]
    return render(
        request,
        "members/roster_preview.html",
        {
            "record": record,
            "plan": plan,
            "errors": plan.errors[:PREVIEW_ERRORS],
            "more_errors": max(len(plan.errors) - PREVIEW_ERRORS, 0),
            "skipped": plan.skipped[:PREVIEW_ERRORS],
            "more_skipped": max(len(plan.skipped) - PREVIEW_ERRORS, 0),
            "duplicates": getattr(plan, "duplicates", [])[:PREVIEW_ERRORS],
            "columns": [label for label, _ in columns],
            "sample": sample,
            "actions": allowed_names(record, request.user),
            "unit": record.unit,
            "crumbs": orgunit_breadcrumbs(user=request.user, unit=record.unit),
        },
    )


@login_required
def roster_error_file(request, pk):
    record = _import_or_404(request, pk)
    try:
        rows = _rows(record)
    except roster.RosterFileError as error:
        return _gone(request, record, error)
    errors = [roster.RowError(row, column, message) for row, column, message in record.errors]
    data = roster.error_workbook(rows=rows, header_row=record.header_row, errors=errors)
    stem = record.original_name.rsplit(".", 1)[0]
    return _xlsx(data, f"{fold(stem).replace(' ', '_')}_loi.xlsx")


@login_required
@require_POST
def roster_commit(request, pk):
    record = _import_or_404(request, pk)
    try:
        services.roster_commit_queue(acting_user=request.user, record=record)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("members:roster_preview", record.pk)
    set_progress(record.pk, "read", 0, 1)  # forget any stale value kept in the shared progress cache
    result = roster_import_task.enqueue(record.pk)
    RosterImport.objects.filter(pk=record.pk).update(task_id=str(result.id))
    return redirect("members:roster_status", record.pk)


def _status_context(request, record) -> dict:
    return {
        "record": record,
        "reading": record.status in ROSTER["read"].sources or bool(record.sheet_pending),
        "progress": 100 if record.is_finished else get_progress(record.pk)["percent"],
        "actions": allowed_names(record, request.user),
        "unit": record.unit,
        "crumbs": orgunit_breadcrumbs(user=request.user, unit=record.unit),
    }


@login_required
def roster_status(request, pk):
    record = _import_or_404(request, pk)
    context = _status_context(request, record)
    if request.htmx:
        if (
            record.status in ROSTER["read"].targets
            and not record.sheet_pending
            and ROSTER.may(record, "map", request.user)
        ):
            # the worker has just read the upload: on to the column mapping
            return HttpResponseClientRedirect(reverse("members:roster_mapping", args=[record.pk]))
        return render(request, "members/_roster_progress.html", context)
    return render(request, "members/roster_status.html", context)


@login_required
def roster_template(request):
    if not can(request.user, Action.PERSON_CHANGE):
        raise PermissionDenied("Bạn không có quyền nhập danh sách đoàn viên.")
    return _xlsx(roster.template_workbook(), "mau_danh_sach_doan_vien.xlsx")


@login_required
@require_POST
def roster_export(request):
    """The "Xuất Excel" button: the roster of a big unit takes tens of seconds, so it is a background job
    (`members/builders.py`, `roster_xlsx`); the user is sent to the job page and downloads from there."""
    from django.urls import reverse

    from jobs.services import JobInvalid, job_start

    unit = get_unit_or_404(request, request.POST.get("don_vi") or 0, Action.PERSON_VIEW)
    try:
        job = job_start(acting_user=request.user, kind="roster_xlsx", unit=unit)
    except JobInvalid as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('members:list')}?don_vi={unit.pk}")
    return redirect("jobs:detail", job.pk)
