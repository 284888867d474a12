from django import forms
from django.utils import timezone

from core.forms import BootstrapFormMixin, DateInput

from .models import OrgUnit, OrgUnitType, Sector


class UnitTypeField(forms.ModelChoiceField):
    """The unit types, those no longer founded (LĐLĐ quận, huyện after 01/07/2025) named as such."""

    def label_from_instance(self, obj: OrgUnitType) -> str:
        if obj.valid_to is not None:
            return f"{obj.name} (không thành lập mới từ {obj.valid_to:%d/%m/%Y})"
        return obj.name


class UnitCreateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=100, required=False)
    code = forms.CharField(label="Mã đơn vị", max_length=50, help_text="Mã duy nhất, ví dụ HN-MD-UBND.")
    unit_type = UnitTypeField(label="Loại đơn vị", queryset=OrgUnitType.objects.all())
    sector = forms.ModelChoiceField(label="Khối", queryset=Sector.objects.all(), required=False)
    area = forms.CharField(label="Địa bàn", max_length=150, required=False)
    valid_from = forms.DateField(label="Thành lập từ ngày", required=False, widget=DateInput())

    def clean(self):
        """A type no longer founded on the founding day is refused here with the reason (the service
        refuses it too)."""
        cleaned = super().clean()
        unit_type = cleaned.get("unit_type")
        day = cleaned.get("valid_from") or timezone.localdate()
        if unit_type is not None and unit_type.ended_on(day):
            self.add_error("unit_type", unit_type.ended_message())
        return cleaned


class UnitRenameForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Tên mới", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt mới", max_length=100, required=False)
    reason = forms.CharField(label="Căn cứ / lý do", max_length=255, required=False)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name}"


class UnitMoveForm(BootstrapFormMixin, forms.Form):
    new_parent = UnitChoiceField(label="Chuyển về trực thuộc", queryset=OrgUnit.objects.none())
    reason = forms.CharField(label="Căn cứ / lý do", max_length=255, required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class UnitMergeForm(BootstrapFormMixin, forms.Form):
    target = UnitChoiceField(label="Sáp nhập vào đơn vị", queryset=OrgUnit.objects.none())
    merged_on = forms.DateField(label="Ngày sáp nhập", widget=DateInput())
    reason = forms.CharField(label="Căn cứ / lý do", max_length=255, required=False)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class UnitDissolveForm(BootstrapFormMixin, forms.Form):
    successor = UnitChoiceField(
        label="Đơn vị kế thừa",
        queryset=OrgUnit.objects.none(),
        help_text="Đơn vị nhận các đơn vị trực thuộc, đoàn viên và hồ sơ đang chờ xét (thường là cấp trên).",
    )
    on = forms.DateField(label="Giải thể từ ngày", widget=DateInput())
    document_number = forms.CharField(label="Số văn bản quyết định", max_length=100)
    document_date = forms.DateField(label="Ngày văn bản", widget=DateInput())
    reason = forms.CharField(label="Lý do", max_length=255, required=False)

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors

    def as_hidden_values(self) -> list[tuple[str, str]]:
        """The cleaned values as the (name, value) pairs the confirmation form posts again."""
        data = self.cleaned_data
        return [
            ("successor", str(data["successor"].pk)),
            ("on", data["on"].isoformat()),
            ("document_number", data["document_number"]),
            ("document_date", data["document_date"].isoformat()),
            ("reason", data["reason"]),
        ]
