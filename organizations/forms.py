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
    on = forms.DateField(
        label="Từ ngày",
        widget=DateInput(),
        required=False,
        help_text="Ngày đơn vị bắt đầu trực thuộc đơn vị mới; để trống là hôm nay.",
        error_messages={"invalid": "Từ ngày không hợp lệ (ngày/tháng/năm)."},
    )
    document_number = forms.CharField(label="Số văn bản quyết định", max_length=100, required=False)
    document_date = forms.DateField(
        label="Ngày văn bản",
        widget=DateInput(),
        required=False,
        error_messages={"invalid": "Ngày văn bản không hợp lệ."},
    )
    reason = forms.CharField(label="Căn cứ / lý do", max_length=255, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("document_date") and not (cleaned.get("document_number") or "").strip():
            self.add_error("document_number", "Nhập số văn bản quyết định kèm ngày văn bản.")
        return cleaned

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
        self.fields["new_parent"].error_messages["required"] = "Chọn đơn vị chuyển về trực thuộc."


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


def _required(field, message: str):
    field.error_messages["required"] = message
    return field


class _DocumentFields(forms.Form):
    """The date and the deciding document of a restructuring (Vietnamese errors naming the field). The
    fields are built in `Form.__init__`'s place, so `BootstrapFormMixin` styles them all."""

    date_label = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._build_fields()
        self._add_document_fields(self.date_label)

    def _build_fields(self):
        pass

    def _add_document_fields(self, date_label: str):
        self.fields["on"] = forms.DateField(
            label=date_label,
            widget=DateInput(),
            error_messages={
                "required": f"Nhập {date_label.lower()}.",
                "invalid": f"{date_label} không hợp lệ.",
            },
        )
        self.fields["document_number"] = _required(
            forms.CharField(label="Số văn bản quyết định", max_length=100), "Nhập số văn bản quyết định."
        )
        self.fields["document_date"] = forms.DateField(
            label="Ngày văn bản",
            widget=DateInput(),
            error_messages={"required": "Nhập ngày văn bản.", "invalid": "Ngày văn bản không hợp lệ."},
        )
        self.fields["reason"] = forms.CharField(label="Lý do", max_length=255, required=False)

    def document_values(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            ("on", data["on"].isoformat()),
            ("document_number", data["document_number"]),
            ("document_date", data["document_date"].isoformat()),
            ("reason", data["reason"]),
        ]


class UnitConsolidateForm(BootstrapFormMixin, _DocumentFields):
    """Hợp nhất: the units consolidated with this one, the new unit and the document."""

    others = forms.ModelMultipleChoiceField(
        label="Các đơn vị cùng hợp nhất",
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Chọn một hoặc nhiều đơn vị cùng cấp hợp nhất với đơn vị này thành đơn vị mới.",
        error_messages={
            "required": "Chọn ít nhất một đơn vị cùng hợp nhất.",
            "invalid_choice": "Đơn vị cùng hợp nhất không hợp lệ: hãy chọn lại.",
            "invalid_pk_value": "Đơn vị cùng hợp nhất không hợp lệ: hãy chọn lại.",
        },
    )
    parent = UnitChoiceField(label="Đơn vị mới trực thuộc", queryset=OrgUnit.objects.none())
    name = forms.CharField(label="Tên đơn vị mới", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=100, required=False)
    code = forms.CharField(label="Mã đơn vị mới", max_length=50)
    unit_type = UnitTypeField(label="Loại đơn vị mới", queryset=OrgUnitType.objects.all())

    date_label = "Hợp nhất từ ngày"

    def __init__(self, *args, others, parents, **kwargs):
        self._others, self._parents = others, parents
        super().__init__(*args, **kwargs)
        self.fields["others"].widget.attrs.update({"class": "form-check-input"})

    def _build_fields(self):
        self.fields["others"].queryset = self._others
        self.fields["parent"].queryset = self._parents
        _required(self.fields["parent"], "Chọn đơn vị cấp trên của đơn vị mới.")
        _required(self.fields["name"], "Nhập tên đơn vị mới.")
        _required(self.fields["code"], "Nhập mã đơn vị mới.")
        _required(self.fields["unit_type"], "Chọn loại đơn vị mới.")

    def bound_fields(self):
        """Every field but the units to consolidate (the template lists those as check boxes)."""
        return [self[name] for name in self.fields if name != "others"]

    def clean(self):
        cleaned = super().clean()
        unit_type, on = cleaned.get("unit_type"), cleaned.get("on")
        if unit_type is not None and on is not None and unit_type.ended_on(on):
            self.add_error("unit_type", unit_type.ended_message())
        code = (cleaned.get("code") or "").strip()
        if code and OrgUnit.objects.filter(code=code).exists():
            self.add_error("code", f"Mã đơn vị “{code}” đã được dùng cho đơn vị khác.")
        return cleaned

    def as_hidden_values(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            *[("others", str(u.pk)) for u in data["others"]],
            ("parent", str(data["parent"].pk)),
            ("name", data["name"]),
            ("short_name", data["short_name"]),
            ("code", data["code"]),
            ("unit_type", str(data["unit_type"].pk)),
            *self.document_values(),
        ]


SPLIT_MAX = 5


class UnitSplitForm(BootstrapFormMixin, _DocumentFields):
    """Chia tách: `count` (2–5) new units, the new unit each child goes to, where the members go."""

    date_label = "Chia tách từ ngày"

    def __init__(self, *args, unit: OrgUnit, count: int, **kwargs):
        self.unit, self.count = unit, count
        super().__init__(*args, **kwargs)

    def _build_fields(self):
        unit, count = self.unit, self.count
        self.children = list(OrgUnit.objects.get_children(unit).select_related("unit_type"))
        choices = [(str(i), f"Đơn vị mới thứ {i + 1}") for i in range(count)]
        self.part_groups = []
        for i in range(1, count + 1):
            names = [f"part{i}_name", f"part{i}_code", f"part{i}_unit_type", f"part{i}_short_name"]
            self.fields[names[0]] = _required(
                forms.CharField(label=f"Tên đơn vị mới thứ {i}", max_length=255),
                f"Nhập tên đơn vị mới thứ {i}.",
            )
            self.fields[names[1]] = _required(
                forms.CharField(label=f"Mã đơn vị mới thứ {i}", max_length=50), f"Nhập mã đơn vị mới thứ {i}."
            )
            self.fields[names[2]] = _required(
                UnitTypeField(label=f"Loại đơn vị mới thứ {i}", queryset=OrgUnitType.objects.all()),
                f"Chọn loại đơn vị mới thứ {i}.",
            )
            self.fields[names[3]] = forms.CharField(
                label=f"Tên viết tắt đơn vị mới thứ {i}", max_length=100, required=False
            )
            self.part_groups.append((i, names))
        self.child_names = []
        for child in self.children:
            name = f"child_{child.pk}"
            label = child.name + (" (đã hết hiệu lực)" if child.valid_to else "")
            self.fields[name] = _required(
                forms.ChoiceField(
                    label=f"“{label}” chuyển về", choices=[("", "— Chọn đơn vị mới —"), *choices]
                ),
                f"Chọn đơn vị mới nhận “{child.name}”.",
            )
            self.child_names.append(name)
        self.fields["members_to"] = _required(
            forms.ChoiceField(
                label="Đoàn viên, vai trò và hồ sơ của đơn vị chuyển về",
                choices=[("", "— Chọn đơn vị mới —"), *choices],
                help_text="Đoàn viên sinh hoạt trực tiếp tại đơn vị và hồ sơ đang chờ xét chuyển về đơn vị "
                "mới này; vai trò tại đơn vị chấm dứt.",
            ),
            "Chọn đơn vị mới nhận đoàn viên, vai trò và hồ sơ.",
        )

    def bound_groups(self):
        """[(number, [bound fields])] of the new units, for the template."""
        return [(i, [self[n] for n in names]) for i, names in self.part_groups]

    def bound_children(self):
        return [self[n] for n in self.child_names]

    def bound_others(self):
        return [self[n] for n in ("members_to", "on", "document_number", "document_date", "reason")]

    def clean(self):
        cleaned = super().clean()
        on = cleaned.get("on")
        codes = {}
        for i, names in self.part_groups:
            unit_type, code = cleaned.get(names[2]), (cleaned.get(names[1]) or "").strip()
            if unit_type is not None and on is not None and unit_type.ended_on(on):
                self.add_error(names[2], f"Đơn vị mới thứ {i}: {unit_type.ended_message()}")
            if code and code in codes:
                self.add_error(names[1], f"Mã “{code}” trùng với mã của đơn vị mới thứ {codes[code]}.")
            elif code and OrgUnit.objects.filter(code=code).exists():
                self.add_error(names[1], f"Mã “{code}” đã được dùng cho đơn vị khác.")
            codes.setdefault(code, i)
        return cleaned

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "parts": [
                {
                    "name": data[names[0]],
                    "code": data[names[1]],
                    "unit_type": data[names[2]],
                    "short_name": data[names[3]],
                }
                for _, names in self.part_groups
            ],
            "assignments": {child.pk: int(data[f"child_{child.pk}"]) for child in self.children},
            "members_to": int(data["members_to"]),
            "on": data["on"],
            "document_number": data["document_number"],
            "document_date": data["document_date"],
            "reason": data["reason"],
        }

    def as_hidden_values(self) -> list[tuple[str, str]]:
        values = [("so_phan", str(self.count))]
        for name, value in self.cleaned_data.items():
            if isinstance(value, OrgUnitType):
                value = value.pk
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            values.append((name, str(value)))
        return values
