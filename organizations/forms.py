from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.forms import BootstrapFormMixin, DateInput

from . import areas
from .models import OrgUnit, OrgUnitType, Sector


class AreaPickerWidget(forms.Widget):
    """The project's searchable picker (the markup and script of `members.widgets.PickerWidget`) over the
    official administrative units: a hidden input with the code, a search box (`<name>_q`) that htmx
    sends to `organizations:area_search`."""

    template_name = "members/widgets/picker.html"

    def value_from_datadict(self, data, files, name):
        return {"pk": (data.get(name) or "").strip(), "text": (data.get(f"{name}_q") or "").strip()}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = context["widget"]["value"]
        if not isinstance(value, dict):
            value = {"pk": str(value or ""), "text": ""}
        text = value.get("text", "")
        if value.get("pk") and not text:
            area = areas.get(value["pk"])
            text = area.label if area else ""
        context["widget"].update(
            {
                "pk": value.get("pk", ""),
                "text": text,
                "search_url": f"{reverse('organizations:area_search')}?{urlencode({'truong': name})}",
                "results_id": f"{context['widget']['attrs'].get('id') or 'id_' + name}-ket-qua",
            }
        )
        return context


class AreaField(forms.Field):
    """An official administrative unit, cleaned to its code ("" for none). Without JavaScript the search
    box is posted as typed: a code, or an exact name ("Xã Mỹ Đức, Thành phố Hà Nội")."""

    widget = AreaPickerWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Địa bàn")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", "Chọn xã, phường hoặc tỉnh, thành phố trong danh mục đơn vị hành chính."
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "Gõ tên xã, phường, tỉnh (có dấu hoặc không dấu)")

    def to_python(self, value):
        if not isinstance(value, dict):
            value = {"pk": str(value or ""), "text": ""}
        if value["pk"]:
            if areas.get(value["pk"]) is None:
                raise forms.ValidationError(
                    "Không có đơn vị hành chính này trong danh mục. Hãy tìm và chọn lại.",
                    code="invalid_choice",
                )
            return areas.get(value["pk"]).code
        text = value["text"]
        if not text:
            return ""
        try:
            found = areas.resolve(text)
        except LookupError:
            raise forms.ValidationError(
                f"Có nhiều đơn vị hành chính tên “{text}”: hãy chọn trong danh sách gợi ý hoặc ghi kèm "
                "tỉnh, thành phố (ví dụ “Xã Mỹ Đức, Thành phố Hà Nội”).",
                code="ambiguous",
            ) from None
        if found is None:
            raise forms.ValidationError(
                f"Không tìm thấy đơn vị hành chính “{text}” trong danh mục: hãy chọn trong danh sách gợi ý.",
                code="invalid_choice",
            )
        return found.code


def area_label(code: str) -> str:
    """The name kept in `OrgUnit.area` for a chosen code."""
    area = areas.get(code)
    return area.full_name if area else ""


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
    area_code = AreaField()
    valid_from = forms.DateField(label="Thành lập từ ngày", required=False, widget=DateInput())

    def clean(self):
        """A type no longer founded on the founding day is refused here with the reason (the service
        refuses it too)."""
        cleaned = super().clean()
        unit_type = cleaned.get("unit_type")
        day = cleaned.get("valid_from") or timezone.localdate()
        if unit_type is not None and unit_type.ended_on(day):
            self.add_error("unit_type", unit_type.ended_message())
        cleaned["area"] = area_label(cleaned.get("area_code") or "")
        return cleaned


class UnitAreaForm(BootstrapFormMixin, forms.Form):
    area_code = AreaField()


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
