from django import forms
from django.utils.choices import CallableChoiceIterator

from .exceptions import ServiceError
from .ids import parse_id

DJANGO_EMPTY_LABEL = "---------"


def empty_choice_label(label) -> str:
    """The empty choice of a select, in words: "Đơn vị" -> "— Chọn đơn vị —" (an acronym such as "CĐCS"
    keeps its capitals); no label -> "— Chọn —"."""
    text = str(label or "").strip().rstrip(":")
    if not text:
        return "— Chọn —"
    first = text.split()[0]
    if not (len(first) > 1 and first.isupper()):
        text = text[0].lower() + text[1:]
    return f"— Chọn {text} —"


def _replace_dash(choices, label: str) -> list:
    return [
        (value, label) if value == "" and text == DJANGO_EMPTY_LABEL else (value, text)
        for value, text in choices
    ]


def name_empty_choice(field) -> None:
    """Replace Django's "---------" empty choice of a select field by "— Chọn … —" (its label)."""
    label = empty_choice_label(field.label)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = label
    elif isinstance(field, forms.ChoiceField):
        choices = field.choices
        if isinstance(choices, CallableChoiceIterator):
            field.choices = lambda: _replace_dash(list(choices), label)
        elif any(value == "" and text == DJANGO_EMPTY_LABEL for value, text in choices):
            field.choices = _replace_dash(choices, label)


class BootstrapFormMixin:
    """Adds Bootstrap classes to every widget, and is-invalid to those whose field has an error; a select's
    empty choice reads "— Chọn … —" instead of Django's "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            name_empty_choice(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_error(form, error: ServiceError) -> None:
    """The one form-to-service pattern: a service's refusal goes on the field it names when the form has
    that field, otherwise on the form itself (shown above the fields)."""
    form.add_error(error.field if error.field and error.field in form.fields else None, error.message)


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose value must be a valid database id (`core.ids.parse_id`): a huge, negative
    or non-numeric value is an invalid choice, not an OverflowError."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not self.to_field_name and parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same for a multiple choice: every value must be a valid database id."""

    default_error_messages = {
        "invalid_pk_value": "“%(pk)s” không phải là lựa chọn hợp lệ.",
    }

    def _check_values(self, value):
        if not self.to_field_name:
            for pk in value:
                if parse_id(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)
