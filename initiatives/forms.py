from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.forms import BootstrapFormMixin, DateInput
from core.text import fold
from organizations.forms import UnitChoiceField
from organizations.models import OrgUnit

from .choices import CRITERIA, SCORE_MAX, Field, Level, Verdict


def author_label(membership) -> str:
    """The text of a datalist option: "Họ tên · số thẻ" (or "· #id" for a member without a card)."""
    ref = membership.card_number or f"#{membership.person_id}"
    return f"{membership.person.full_name} · {ref}"


class InitiativeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label="Tên sáng kiến", max_length=255, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    unit = UnitChoiceField(label="Đơn vị áp dụng", queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label="Năm", min_value=2000)
    field = forms.ChoiceField(label="Lĩnh vực", choices=Field.choices, initial=Field.KHAC)
    applied_since = forms.DateField(label="Áp dụng từ ngày", required=False, widget=DateInput())
    benefit_vnd = forms.IntegerField(
        label="Giá trị làm lợi (đồng)",
        min_value=0,
        required=False,
        help_text="Số tiền làm lợi được xác nhận trong một năm, nếu tính được.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1000"}),
    )
    description = forms.CharField(
        label="Nội dung, giải pháp",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "col": "col-12"}),
        help_text="Tình trạng trước khi có sáng kiến, giải pháp mới và hiệu quả đạt được.",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year
        self.fields["title"].error_messages["required"] = "Tên sáng kiến không được để trống."
        self.fields["unit"].error_messages["required"] = "Chọn đơn vị áp dụng sáng kiến."
        self.fields["unit"].error_messages["invalid_choice"] = (
            "Đơn vị không hợp lệ hoặc không thuộc phạm vi bạn được đăng ký sáng kiến."
        )
        self.fields["year"].error_messages["required"] = "Nhập năm."
        self.fields["benefit_vnd"].error_messages["invalid"] = "Giá trị làm lợi phải là số tiền (đồng)."


class AuthorForm(BootstrapFormMixin, forms.Form):
    person = forms.CharField(
        label="Tác giả",
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"list": "ds-tac-gia", "autocomplete": "off"}),
    )
    share = forms.DecimalField(
        label="Tỷ lệ đóng góp (%)", required=False, min_value=0, max_value=100, decimal_places=2
    )


AuthorFormSet = forms.formset_factory(AuthorForm, extra=0, min_num=4, max_num=10)


def resolve_authors(formset, memberships) -> list | None:
    """[(person, share)] from the filled author rows; None (with row errors added) when a row is unclear.
    `memberships` is the queryset of people who may be named; looked up in one query."""
    rows = [
        f for f in formset.forms if f.cleaned_data.get("person") or f.cleaned_data.get("share") is not None
    ]
    cards, pks, names = set(), set(), set()
    parsed = []
    for form in rows:
        text = (form.cleaned_data.get("person") or "").strip()
        ref = text.rsplit("·", 1)[-1].strip() if "·" in text else text
        if ref.startswith("#") and ref[1:].isdigit():
            pks.add(int(ref[1:]))
            parsed.append((form, "pk", int(ref[1:])))
        elif ref.isdigit():
            cards.add(ref)
            parsed.append((form, "card", ref))
        else:
            names.add(fold(text))
            parsed.append((form, "name", fold(text)))
    found = (
        list(
            memberships.filter(
                Q(person_id__in=pks) | Q(card_number__in=cards) | Q(person__search_text__in=names)
            )
        )
        if parsed
        else []
    )
    by_pk = {m.person_id: m.person for m in found}
    by_card = {m.card_number: m.person for m in found if m.card_number}
    by_name: dict[str, list] = {}
    for m in found:
        by_name.setdefault(m.person.search_text, []).append(m.person)
    authors, ok = [], True
    for form, kind, key in parsed:
        person = None
        if kind == "pk":
            person = by_pk.get(key)
        elif kind == "card":
            person = by_card.get(key)
        else:
            matches = by_name.get(key, [])
            if len(matches) > 1:
                form.add_error(
                    "person", "Có nhiều đoàn viên trùng tên: chọn trong danh sách gợi ý (kèm số thẻ)."
                )
                ok = False
                continue
            person = matches[0] if matches else None
        if person is None:
            form.add_error("person", "Không tìm thấy đoàn viên này trong đơn vị: chọn trong danh sách gợi ý.")
            ok = False
            continue
        share = form.cleaned_data.get("share")
        if share is None:
            form.add_error("share", "Nhập tỷ lệ đóng góp.")
            ok = False
            continue
        authors.append((person, share))
    return authors if ok else None


def _score_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=f"{label} (0–{SCORE_MAX})",
        min_value=0,
        max_value=SCORE_MAX,
        error_messages={"required": "Nhập điểm."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "col": "col-12 col-md-4"}),
    )


class _ReviewFormBase(BootstrapFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].widget.attrs["class"] = "form-check-input"


# One score field per criterion (in the order of CRITERIA), then the verdict and the comment.
ReviewForm = type(
    "ReviewForm",
    (_ReviewFormBase,),
    {
        "__module__": __name__,
        **{key: _score_field(label) for key, label in CRITERIA},
        "verdict": forms.ChoiceField(
            label="Kết luận",
            choices=Verdict.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Chọn kết luận."},
        ),
        "comment": forms.CharField(
            label="Nhận xét", required=False, widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"})
        ),
    },
)


class DecisionForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Quyết định",
        choices=[("recognize", "Công nhận sáng kiến"), ("reject", "Không công nhận")],
        initial="recognize",
    )
    level = forms.ChoiceField(label="Cấp công nhận", required=False, choices=[])
    recognized_on = forms.DateField(label="Ngày công nhận", required=False, widget=DateInput())
    decision_ref = forms.CharField(
        label="Số quyết định", max_length=100, required=False, help_text="Ví dụ: 125/QĐ-LĐLĐ"
    )
    reason = forms.CharField(
        label="Lý do / ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"})
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Level.choices)
        self.fields["level"].choices = [(value, labels[value]) for value in levels]
        self.fields["recognized_on"].initial = timezone.localdate()
