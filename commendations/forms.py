from __future__ import annotations

from django import forms

from core.forms import BootstrapFormMixin, DateInput
from members.widgets import PersonPickerField, UnitPickerField

from .models import AwardType, RuleSet
from .params import PARAM_LABELS, param_rows, parse_param


class AwardRecordForm(BootstrapFormMixin, forms.Form):
    person = PersonPickerField(label="Cá nhân được khen", required=False)
    collective = UnitPickerField(label="hoặc tập thể được khen", required=False)
    award_type = forms.ModelChoiceField(label="Danh hiệu, hình thức khen thưởng", queryset=None)
    year = forms.IntegerField(label="Năm (chu kỳ xét)", min_value=1950, max_value=2100)
    decision_number = forms.CharField(
        label="Số quyết định", max_length=60, widget=forms.TextInput(attrs={"placeholder": "45/QĐ-LĐLĐ"})
    )
    decision_date = forms.DateField(label="Ngày quyết định", widget=DateInput())
    issuing_unit = forms.ModelChoiceField(label="Đơn vị ban hành quyết định", queryset=None)
    achievement_id = forms.CharField(
        label="Mã thành tích (không bắt buộc)",
        max_length=100,
        required=False,
        help_text="Một thành tích chỉ làm căn cứ cho một khen thưởng.",
    )
    achievement_summary = forms.CharField(
        label="Tóm tắt thành tích", required=False, widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"})
    )

    def __init__(self, *args, persons, collectives, issuers, picker_params=None, **kwargs):
        """`persons` / `collectives`: the restricted querysets the pickers search and validate against;
        `picker_params`: the same scope for the search endpoint (`quyen`, `don_vi`)."""
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["collective"].queryset = collectives
        self.fields["person"].params = picker_params or {}
        self.fields["collective"].params = picker_params or {}
        self.fields["award_type"].queryset = AwardType.objects.filter(active=True).order_by("position")
        self.fields["issuing_unit"].queryset = issuers

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("collective")):
            raise forms.ValidationError("Chọn đúng một đối tượng được khen: một cá nhân hoặc một tập thể.")
        return data


class RuleSetVersionForm(BootstrapFormMixin, forms.Form):
    """Code, name, legal basis and start date of the new version, then one field per parameter (prefilled
    with the values of the base version)."""

    code = forms.CharField(label="Mã bộ quy tắc mới", max_length=50)
    name = forms.CharField(label="Tên", max_length=255)
    valid_from = forms.DateField(label="Hiệu lực từ ngày", widget=DateInput())
    legal_basis = forms.CharField(
        label="Căn cứ pháp lý (mỗi văn bản một dòng)",
        widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
    )
    document_basis = forms.CharField(
        label="Căn cứ in trên văn bản (mỗi văn bản một dòng, không ghi chữ «Căn cứ»)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
    )

    def __init__(self, *args, base: RuleSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        self.param_fields = []
        for row in param_rows(base.params):
            name = f"p_{row['key']}"
            value = row["value"]
            initial = ", ".join(value) if isinstance(value, list) else ("có" if value is True else value)
            if value is False:
                initial = "không"
            rule = PARAM_LABELS.get(row["key"], ("",))[0]
            self.fields[name] = forms.CharField(
                label=row["label"] + (f" ({row['unit']})" if row["unit"] else ""),
                initial=initial,
                required=not isinstance(value, bool | list),
                help_text=f"{rule} · {row['key']}" if rule else row["key"],
                widget=forms.TextInput(attrs={"col": "col-12 col-md-6"}),
            )
            self.param_fields.append(name)

    def clean(self):
        data = super().clean()
        changes = {}
        for name in self.param_fields:
            if name not in data:
                continue
            key = name[2:]
            current = self.base.params[key]
            try:
                value = parse_param(key=key, current=current, text=str(data[name]))
            except ValueError as exc:
                self.add_error(name, str(exc))
                continue
            if value != current:
                changes[key] = value
        data["params_changes"] = changes
        return data
