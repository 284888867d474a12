from django import forms

from commendations.choices import SubjectCategory
from core.forms import BootstrapFormMixin, DateInput, IdModelChoiceField, IdModelMultipleChoiceField
from members.widgets import PersonPickerField, UnitPickerField

from .choices import DocumentKind, DossierKind

AUTO_AUTHORITY = "Tự động"
AUTHORITY_HELP = (
    "Đơn vị ký quyết định khen thưởng: đơn vị đề nghị hoặc một cấp trên có thẩm quyền tặng mọi hình thức "
    "trong hồ sơ. “Tự động”: cấp gần nhất có thẩm quyền."
)


def _authority_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Cấp khen thưởng",
        required=False,
        help_text=AUTHORITY_HELP,
        error_messages={"invalid_choice": "Chọn cấp khen thưởng trong danh sách."},
    )


class AuthorityChoiceMixin:
    """The "Cấp khen thưởng" select: `authorities` (units, nearest first) after the automatic choice;
    cleaned to the unit, or None for the automatic one."""

    def _set_authorities(self, authorities, *, nearest=None) -> None:
        self.authorities = {u.pk: u for u in authorities}
        auto = f"{AUTO_AUTHORITY} — {nearest.name}" if nearest is not None else AUTO_AUTHORITY
        self.fields["authority"].choices = [("", auto)] + [(str(u.pk), u.name) for u in authorities]

    def clean_authority(self):
        value = self.cleaned_data.get("authority")
        return self.authorities.get(int(value)) if value else None


class DossierForm(AuthorityChoiceMixin, BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label="Trích yếu", max_length=255, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    kind = forms.ChoiceField(label="Loại khen thưởng", choices=DossierKind.choices)
    year = forms.IntegerField(label="Năm thành tích", min_value=2000, max_value=2100)
    authority = _authority_field()

    def __init__(self, *args, authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Nhập trích yếu hồ sơ."
        self._set_authorities(list(authorities))


class AuthorityForm(AuthorityChoiceMixin, BootstrapFormMixin, forms.Form):
    """The issuing level of a dossier being prepared, on the dossier page."""

    authority = _authority_field()

    def __init__(self, *args, authorities=(), nearest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_authorities(list(authorities), nearest=nearest)


SUBJECT_CATEGORY_HELP = "Chỉ cho cá nhân (để trống khi đề nghị tập thể)."


def _subject_category_field(help_text: str = SUBJECT_CATEGORY_HELP) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Phân loại đối tượng",
        required=False,
        choices=[("", "— Chưa phân loại —"), *SubjectCategory.choices],
        help_text=help_text,
        error_messages={"invalid_choice": "Chọn phân loại đối tượng trong danh sách."},
    )


class ItemForm(BootstrapFormMixin, forms.Form):
    person = PersonPickerField(label="Cá nhân được đề nghị", required=False)
    unit = UnitPickerField(label="hoặc tập thể được đề nghị", required=False)
    award_type = IdModelChoiceField(label="Hình thức khen thưởng, danh hiệu", queryset=None)
    achievement_summary = forms.CharField(
        label="Tóm tắt thành tích", widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"})
    )
    achievement_id = forms.CharField(
        label="Mã thành tích (nếu có)",
        required=False,
        max_length=100,
        help_text="Một thành tích chỉ được dùng cho một lần khen thưởng.",
    )
    subject_category = _subject_category_field()
    override_reason = forms.CharField(
        label="Lý do đề nghị nếu chưa đủ điều kiện",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
        help_text="Bắt buộc khi hệ thống kết luận chưa đủ điều kiện; mọi cấp xét duyệt đều thấy lý do này.",
    )

    def __init__(self, *args, persons, units, award_types, picker_params=None, **kwargs):
        """`persons` / `units`: what may be picked (validated against them); `picker_params`: the same
        scope for the search endpoint (`quyen`, `don_vi`) — the page never lists the members."""
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["unit"].queryset = units
        self.fields["person"].params = picker_params or {}
        self.fields["unit"].params = picker_params or {}
        self.fields["award_type"].queryset = award_types
        self.fields["achievement_summary"].error_messages["required"] = "Nhập tóm tắt thành tích."

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("unit")):
            raise forms.ValidationError("Chọn một cá nhân hoặc một tập thể.")
        if data.get("unit") and data.get("subject_category"):
            self.add_error(
                "subject_category", "Phân loại đối tượng chỉ dành cho cá nhân: để trống khi đề nghị tập thể."
            )
        return data


class ItemEditForm(BootstrapFormMixin, forms.Form):
    """Change a nominee of a dossier being prepared: the award, the achievement, the override reason."""

    award_type = forms.TypedChoiceField(label="Hình thức khen thưởng, danh hiệu", coerce=int, choices=())
    achievement_summary = forms.CharField(
        label="Tóm tắt thành tích", widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"})
    )
    achievement_id = forms.CharField(label="Mã thành tích (nếu có)", required=False, max_length=100)
    subject_category = _subject_category_field(help_text="")
    override_reason = forms.CharField(
        label="Lý do đề nghị nếu chưa đủ điều kiện",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
    )

    def __init__(self, *args, award_types, for_person: bool = True, **kwargs):
        """`award_types`: the active award types as a list, read once for every nominee's form of the
        dossier page (a queryset would be read again by each form). `for_person`: the nominee is a person
        — a collective has no subject category, so its form has no such field."""
        super().__init__(*args, **kwargs)
        if not for_person:
            del self.fields["subject_category"]
        self.award_types = {a.pk: a for a in award_types}
        field = self.fields["award_type"]
        field.choices = [(a.pk, a.name) for a in award_types]
        field.error_messages["required"] = "Chọn hình thức khen thưởng."
        field.error_messages["invalid_choice"] = "Chọn hình thức khen thưởng trong danh sách."
        self.fields["achievement_summary"].error_messages["required"] = "Nhập tóm tắt thành tích."

    def clean_award_type(self):
        return self.award_types[self.cleaned_data["award_type"]]


class DocumentReplaceForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="Tệp mới (PDF, Word, Excel, ảnh)")


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại tài liệu", choices=DocumentKind.choices)
    file = forms.FileField(label="Tệp (PDF, Word, Excel, ảnh)")


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label="Ý kiến, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"})
    )


class PostingForm(BootstrapFormMixin, forms.Form):
    starts_on = forms.DateField(label="Công khai từ ngày", widget=DateInput())
    ends_on = forms.DateField(label="Đến ngày", widget=DateInput())


class CommentForm(BootstrapFormMixin, forms.Form):
    author_name = forms.CharField(label="Họ và tên", max_length=150)
    contact = forms.CharField(
        label="Điện thoại hoặc thư điện tử (không công khai)", max_length=150, required=False
    )
    text = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 4, "col": "col-12"}))
    # the honeypot: hidden from people (and from screen readers and the tab order), filled by robots
    website = forms.CharField(
        label="Để trống ô này",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}),
    )

    HONEYPOT = "website"

    def is_robot(self) -> bool:
        """A filled honeypot: the comment is dropped without a word (the robot is told it was sent)."""
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def cleaned_data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != self.HONEYPOT}

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != self.HONEYPOT]


class SessionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label="Nội dung phiên họp", max_length=255, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    held_on = forms.DateField(label="Ngày họp", widget=DateInput())
    starts_at = forms.TimeField(
        label="Giờ họp",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(
        label="Địa điểm",
        max_length=255,
        required=False,
        help_text="Để trống: “trụ sở” của đơn vị.",
    )
    secretary = forms.CharField(label="Thư ký phiên họp", max_length=150, required=False)
    dossiers = IdModelMultipleChoiceField(
        label="Hồ sơ trình Hội đồng", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = dossiers
        self.fields["dossiers"].widget.attrs["class"] = "form-check-input"


class DecisionForm(BootstrapFormMixin, forms.Form):
    symbol = forms.CharField(label="Ký hiệu", max_length=50)
    issued_on = forms.DateField(label="Ngày ký", widget=DateInput())
    signer_name = forms.CharField(label="Người ký", max_length=150)
    signer_title = forms.CharField(label="Chức vụ", max_length=150, initial="Chủ tịch")


class RevokeForm(BootstrapFormMixin, forms.Form):
    decision_ref = forms.CharField(label="Số quyết định thu hồi", max_length=100)
    revoked_on = forms.DateField(label="Ngày thu hồi", widget=DateInput())
    reason = forms.CharField(label="Lý do thu hồi", widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"}))


class DeadlineForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại khen thưởng", choices=DossierKind.choices)
    year = forms.IntegerField(label="Năm thành tích", min_value=2000, max_value=2100)
    due_on = forms.DateField(label="Hạn nộp hồ sơ", widget=DateInput())
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)
