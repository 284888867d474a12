from django import forms
from django.forms import formset_factory

from core.forms import BootstrapFormMixin, DateInput
from organizations.models import OrgUnitType, Sector

from .choices import Audience, MovementKind, ReportStage, collective_titles, individual_titles


class MovementForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label="Tên phong trào", max_length=255, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    kind = forms.ChoiceField(label="Loại phong trào", choices=MovementKind.choices)
    year = forms.IntegerField(label="Năm thi đua", min_value=2000, max_value=2100)
    start_date = forms.DateField(label="Từ ngày", widget=DateInput())
    end_date = forms.DateField(label="Đến ngày", widget=DateInput())
    audience = forms.ChoiceField(label="Đối tượng", choices=Audience.choices, initial=Audience.ALL)
    description = forms.CharField(
        label="Mục đích, nội dung", required=False, widget=forms.Textarea(attrs={"rows": 4, "col": "col-12"})
    )
    unit_types = forms.ModelMultipleChoiceField(
        label="Chỉ áp dụng cho loại đơn vị (để trống: tất cả)",
        queryset=OrgUnitType.objects.filter(holds_members=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    sectors = forms.ModelMultipleChoiceField(
        label="Chỉ áp dụng cho khối (để trống: tất cả)",
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    launch_on = forms.DateField(label="Mốc phát động", required=False, widget=DateInput())
    midyear_on = forms.DateField(label="Mốc sơ kết", required=False, widget=DateInput())
    final_on = forms.DateField(label="Mốc tổng kết", required=False, widget=DateInput())
    plan_document = forms.FileField(label="Kế hoạch phát động (tệp Word/PDF)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Nhập tên phong trào."
        for name in ("start_date", "end_date"):
            self.fields[name].error_messages["required"] = "Nhập ngày."

    def clean_plan_document(self):
        document = self.cleaned_data.get("plan_document")
        if document and not document.name.lower().endswith((".doc", ".docx", ".pdf", ".odt")):
            raise forms.ValidationError("Kế hoạch phải là tệp Word (.doc, .docx), .odt hoặc PDF.")
        if document and document.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Tệp kế hoạch không được lớn hơn 20 MB.")
        return document


class TargetForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Chỉ tiêu", max_length=255, required=False)
    unit_of_measure = forms.CharField(label="Đơn vị tính", max_length=50, required=False)
    target_value = forms.DecimalField(label="Mức phấn đấu", required=False, min_value=0, decimal_places=2)


TargetFormSet = formset_factory(TargetForm, extra=4, max_num=30)


class SelfRegistrationForm(BootstrapFormMixin, forms.Form):
    titles = forms.MultipleChoiceField(
        label="Danh hiệu đăng ký", choices=individual_titles, widget=forms.CheckboxSelectMultiple
    )
    commitments = forms.CharField(
        label="Nội dung cam kết", required=False, widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titles"].error_messages["required"] = "Chọn ít nhất một danh hiệu đăng ký."
        self.fields["titles"].widget.attrs["class"] = "form-check-input"


class CollectiveRegistrationForm(SelfRegistrationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titles"].choices = collective_titles


class ProgressReportForm(BootstrapFormMixin, forms.Form):
    stage = forms.ChoiceField(label="Kỳ báo cáo", choices=ReportStage.choices)
    narrative = forms.CharField(
        label="Đánh giá chung", required=False, widget=forms.Textarea(attrs={"rows": 4, "col": "col-12"})
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            field = forms.DecimalField(
                label=f"{target.name} ({target.unit_of_measure})",
                required=False,
                min_value=0,
                decimal_places=2,
            )
            field.widget.attrs["class"] = "form-control"
            field.widget.attrs["inputmode"] = "decimal"
            self.fields[f"target_{target.pk}"] = field
            if target.target_value is not None:
                field.help_text = f"Mức phấn đấu: {target.target_value.normalize():f}"

    def figures(self) -> dict:
        return {t.pk: self.cleaned_data.get(f"target_{t.pk}") for t in self.targets}
