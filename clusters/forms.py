"""Forms of the cluster pages. Member and ranking rows are generated per unit, one field per row, so the
pages work without JavaScript and stack on a phone."""

from __future__ import annotations

from django import forms

from core.forms import BootstrapFormMixin, DateInput
from organizations.models import OrgUnit

from .choices import ClusterKind, ClusterRole
from .models import ClusterMember
from .services import DOCUMENT_EXTENSIONS

NOT_IN = ""


class ClusterForm(BootstrapFormMixin, forms.Form):
    """Name and kind of the cluster, and a role select for every candidate unit ("—" = not a member)."""

    name = forms.CharField(label="Tên cụm, khối", max_length=255)
    kind = forms.ChoiceField(label="Loại", choices=ClusterKind.choices)
    flag_quota = forms.IntegerField(
        label="Số đơn vị được đề nghị tặng Cờ",
        min_value=0,
        max_value=10,
        initial=1,
        help_text="Cuối năm, cụm đề nghị tặng Cờ thi đua cho tối đa chừng này đơn vị dẫn đầu.",
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args, candidates: list[OrgUnit], current: dict[int, str], taken: dict[int, str], **kw
    ):
        super().__init__(*args, **kw)
        self.rows = []
        choices = [(NOT_IN, "— Không tham gia —"), *ClusterRole.choices]
        for unit in candidates:
            name = f"role_{unit.pk}"
            elsewhere = taken.get(unit.pk)
            self.fields[name] = forms.ChoiceField(
                label=unit.name,
                choices=choices,
                required=False,
                initial=current.get(unit.pk, NOT_IN),
                disabled=bool(elsewhere),
            )
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
            self.rows.append((unit, name, elsewhere))

    def main_fields(self):
        """The cluster's own fields (the role selects are rendered as a table of units)."""
        return [self[name] for name in ("name", "kind", "flag_quota", "note")]

    def bound_rows(self):
        return [(unit, self[name], elsewhere) for unit, name, elsewhere in self.rows]

    def members(self) -> list[tuple[OrgUnit, str]]:
        return [
            (unit, self.cleaned_data[name])
            for unit, name, elsewhere in self.rows
            if not elsewhere and self.cleaned_data.get(name)
        ]


class CovenantForm(BootstrapFormMixin, forms.Form):
    content = forms.CharField(
        label="Nội dung giao ước",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Các chỉ tiêu, cam kết thi đua các đơn vị trong cụm cùng ký.",
    )
    signed_on = forms.DateField(label="Ngày ký", widget=DateInput())
    place = forms.CharField(label="Địa điểm ký", max_length=255, required=False)
    document = forms.FileField(
        label="Văn bản giao ước (bản scan)",
        required=False,
        help_text="PDF, Word hoặc ảnh, tối đa 10 MB. Để trống nếu giữ tệp đã tải lên.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_EXTENSIONS)}),
    )
    signatories = forms.ModelMultipleChoiceField(
        label="Đơn vị đã ký",
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members: list[ClusterMember], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["signatories"]
        field.queryset = OrgUnit.objects.filter(pk__in=[m.unit_id for m in members])
        labels = {m.unit_id: m.unit.name for m in members}
        field.label_from_instance = lambda unit: labels.get(unit.pk, unit.name)
        field.widget.attrs["class"] = "form-check-input"
        for name in ("content", "document"):
            self.fields[name].widget.attrs["col"] = "col-12"
        self.fields["signatories"].widget.attrs["col"] = "col-12"


class RankingForm(BootstrapFormMixin, forms.Form):
    """Rank, score and flag proposal for every member, then a reason when a proposal is not rank 1."""

    override_reason = forms.CharField(
        label="Lý do đề nghị khác thứ hạng",
        required=False,
        max_length=500,
        help_text="Chỉ cần khi đề nghị tặng Cờ cho đơn vị không xếp hạng 1; lý do được lưu vào nhật ký.",
    )

    def __init__(self, *args, members: list[ClusterMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        n = len(members)
        for m in members:
            rank = forms.IntegerField(label="Xếp hạng", min_value=1, max_value=max(n, 1), initial=m.rank)
            score = forms.DecimalField(
                label="Điểm", required=False, min_value=0, max_digits=6, decimal_places=2, initial=m.score
            )
            flag = forms.BooleanField(label="Đề nghị tặng Cờ", required=False, initial=m.proposed_for_flag)
            self.fields[f"rank_{m.pk}"] = rank
            self.fields[f"score_{m.pk}"] = score
            self.fields[f"flag_{m.pk}"] = flag
            self.rows.append(m)
        for m in members:
            self.fields[f"rank_{m.pk}"].widget.attrs.update({"class": "form-control form-control-sm"})
            self.fields[f"score_{m.pk}"].widget.attrs.update({"class": "form-control form-control-sm"})
            self.fields[f"flag_{m.pk}"].widget.attrs.update({"class": "form-check-input"})

    def bound_rows(self):
        return [(m, self[f"rank_{m.pk}"], self[f"score_{m.pk}"], self[f"flag_{m.pk}"]) for m in self.rows]

    def ranking(self) -> list[tuple[OrgUnit, int, object]]:
        return [
            (m.unit, self.cleaned_data[f"rank_{m.pk}"], self.cleaned_data.get(f"score_{m.pk}"))
            for m in self.rows
        ]

    def proposed(self) -> list[OrgUnit]:
        return [m.unit for m in self.rows if self.cleaned_data.get(f"flag_{m.pk}")]
