"""The searchable picker: one mechanism for choosing a person or a unit among many.

A form never renders every person (or unit) in scope. `PickerWidget` renders a hidden input with the
chosen pk and a search box; as the user types, htmx asks `members:person_search` (or
`members:unit_search`) for at most `PICK_LIMIT` matches — name, birth year and unit, enough to tell people
of the same name apart; never a birth date or a citizen ID — and a click puts the pk into the hidden
input (`static/js/picker.js`). `PersonPickerField` / `UnitPickerField` validate the posted pk against the
same restricted queryset the endpoint searches (`person_pick_queryset` / `unit_pick_queryset`), so a pk
of another branch is a form error, never a leak. Without JavaScript the search box is posted as typed and
the field takes an exact card number (unit code) or a name that matches exactly one person (unit).
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from core.access import Action
from core.ids import parse_id
from core.search import folded_contains
from core.text import fold
from organizations.models import OrgUnit
from organizations.selectors import orgunit_visible

from .models import Membership, Person

PICK_LIMIT = 20

# the actions a picker may be scoped by (the endpoint refuses any other: it is not a general lookup)
PICK_ACTIONS = frozenset(
    {
        Action.PERSON_VIEW,
        Action.PERSON_CHANGE,
        Action.AWARD_RECORD,
        Action.NOMINATION_PREPARE,
        Action.REGISTRATION_CHANGE,
        Action.EVALUATION_CHANGE,
    }
)


# --- what may be picked --------------------------------------------------------------------------


def person_pick_queryset(*, user, action: str, unit: OrgUnit | None = None) -> QuerySet[Person]:
    """People the user may pick for `action`: `Person.objects.restrict(user, action)`, narrowed to those
    with an open membership in `unit`'s subtree when a unit is given.

    With a unit, both conditions are correlated EXISTS over memberships — a person with a membership is
    visible exactly when one of their memberships is (`Membership.objects.restrict`: the same subtree
    scopes, the same "one's own" rule) — so the database walks the people in name order and stops at
    the 21st match instead of first listing every person in scope (`pk IN (…)`: on SQLite, 200,000 ids
    built per keystroke; members/tests/test_picker_scale.py). Without a unit: `Person.objects.restrict`
    as is (people without any membership included)."""
    if unit is None:
        return Person.objects.restrict(user, action)
    visible = Membership.objects.restrict(user, action).filter(person=OuterRef("pk"))
    member_here = Membership.objects.filter(
        person=OuterRef("pk"), ended_on__isnull=True, unit__path__startswith=unit.path
    )
    return Person.objects.filter(Exists(member_here), Exists(visible))


def unit_pick_queryset(*, user, action: str, unit: OrgUnit | None = None) -> QuerySet[OrgUnit]:
    """Units the user may pick for `action` (`orgunit_visible`: `restrict` on the tree), inside `unit`'s
    subtree."""
    qs = orgunit_visible(user=user, action=action)
    if unit is not None:
        qs = qs.filter(path__startswith=unit.path)
    return qs


def _card_holders(text: str) -> QuerySet:
    return Membership.objects.filter(ended_on__isnull=True, card_number=text).values("person_id")


# a birth year typed with the name ("nguyen van an 1985", or "(1985)" as the picker shows it)
_YEAR = re.compile(r"\(?((?:19|20)\d\d)\)?")


def split_birth_year(text: str) -> tuple[str, int | None]:
    """ "Nguyễn Văn An (1985)" → ("Nguyễn Văn An", 1985): the words of the name and the last birth year
    typed among them (None without one)."""
    words, year = [], None
    for word in (text or "").split():
        found = _YEAR.fullmatch(word)
        if found:
            year = int(found.group(1))
        else:
            words.append(word)
    return " ".join(words), year


def _born_in(year: int | None) -> Q:
    if year is None:
        return Q()
    return Q(birth_date__gte=dt.date(year, 1, 1), birth_date__lt=dt.date(year + 1, 1, 1))


def person_matches(queryset: QuerySet[Person], text: str, *, limit: int = PICK_LIMIT) -> tuple[list, bool]:
    """([(person, current membership or None)], more?) — people whose folded name contains the folded
    text (and born in the year typed with it, if any: "nguyen van an 1985"), or whose card number is the
    text; name order, at most `limit`. Two queries, whatever the number of people."""
    text = (text or "").strip()[:100]
    name, year = split_birth_year(text)
    folded = fold(name)
    if year is None and len(folded) < 2:
        return [], False
    wanted = folded_contains(Person, folded) & _born_in(year)  # indexed (core.search)
    wanted |= Q(pk__in=_card_holders(text))
    people = list(queryset.filter(wanted).order_by("sort_key", "pk")[: limit + 1])
    more = len(people) > limit
    people = people[:limit]
    memberships = {
        m.person_id: m
        for m in Membership.objects.filter(
            ended_on__isnull=True, person_id__in=[p.pk for p in people]
        ).select_related("unit")
    }
    return [(p, memberships.get(p.pk)) for p in people], more


def unit_matches(queryset: QuerySet[OrgUnit], text: str, *, limit: int = PICK_LIMIT) -> tuple[list, bool]:
    """([(unit, None)], more?) — units whose folded name, short name or code contains the text."""
    folded = fold((text or "").strip()[:100])
    if len(folded) < 2:
        return [], False
    units = list(queryset.filter(folded_contains(OrgUnit, folded)).order_by("path")[: limit + 1])
    return [(u, None) for u in units[:limit]], len(units) > limit


def person_label(person: Person, membership: Membership | None = None) -> str:
    """ "Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ": name, birth year, unit — no birth date, no ID."""
    label = person.full_name
    if person.birth_date:
        label += f" ({person.birth_date.year})"
    if membership is not None:
        label += f" — {membership.unit.name}"
    return label


def unit_label(unit: OrgUnit, _membership=None) -> str:
    return f"{unit.name} ({unit.code})"


# --- widget and fields ---------------------------------------------------------------------------


class PickerWidget(forms.Widget):
    """A hidden input (the pk, under the field's name) + a search box (`<name>_q`) + the results list."""

    template_name = "members/widgets/picker.html"

    def __init__(self, attrs=None, *, url_name: str = "members:person_search"):
        super().__init__(attrs)
        self.url_name = url_name
        self.params: dict[str, str] = {}
        self.label_for = None  # set by the field: pk → text shown in the search box

    def value_from_datadict(self, data, files, name):
        return {"pk": (data.get(name) or "").strip(), "text": (data.get(f"{name}_q") or "").strip()}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def format_value(self, value):
        if isinstance(value, dict):
            return value
        if value in (None, ""):
            return {"pk": "", "text": ""}
        pk = str(getattr(value, "pk", value))
        return {"pk": pk, "text": ""}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = context["widget"]["value"]
        text = value.get("text", "")
        if value.get("pk") and not text and self.label_for is not None:
            text = self.label_for(value["pk"])
        params = {**self.params, "truong": name}
        context["widget"].update(
            {
                "pk": value.get("pk", ""),
                "text": text,
                "search_url": f"{reverse(self.url_name)}?{urlencode(params)}",
                "results_id": f"{context['widget']['attrs'].get('id') or 'id_' + name}-ket-qua",
            }
        )
        return context


class _PickerField(forms.Field):
    widget = PickerWidget
    url_name = ""
    not_found = ""
    ambiguous = ""

    def __init__(self, *, queryset=None, params: dict | None = None, **kwargs):
        kwargs.setdefault("widget", PickerWidget(url_name=self.url_name))
        super().__init__(**kwargs)
        self.widget.url_name = self.url_name
        self.widget.attrs.setdefault("placeholder", self.placeholder)
        self.queryset = queryset
        self.params = params or {}

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._queryset = queryset
        self.widget.label_for = self._label_for

    @property
    def params(self):
        return self.widget.params

    @params.setter
    def params(self, params):
        self.widget.params = {k: str(v) for k, v in params.items()}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.label_for = result._label_for
        return result

    def _label_for(self, pk) -> str:
        found = self.lookup(pk)
        return self.describe(found) if found is not None else ""

    def lookup(self, pk):
        number = parse_id(pk)  # "²" passes str.isdigit() but is no id
        if self._queryset is None or number is None:
            return None
        return self._queryset.filter(pk=number).first()

    def to_python(self, value):
        if not isinstance(value, dict):
            value = {"pk": str(value or ""), "text": ""}
        if value["pk"]:
            found = self.lookup(value["pk"])
            if found is None:
                raise forms.ValidationError(self.not_found, code="invalid_choice")
            return found
        if value["text"]:
            return self.resolve_text(value["text"])
        return None

    def resolve_text(self, text: str):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def describe(self, obj) -> str:  # pragma: no cover - defined by subclasses
        raise NotImplementedError


class PersonPickerField(_PickerField):
    url_name = "members:person_search"
    placeholder = "Gõ họ tên (có thể kèm năm sinh) hoặc số thẻ đoàn viên"
    not_found = "Không tìm thấy đoàn viên này trong phạm vi của bạn. Hãy tìm và chọn lại."

    def describe(self, person: Person) -> str:
        membership = (
            Membership.objects.filter(person=person, ended_on__isnull=True).select_related("unit").first()
        )
        return person_label(person, membership)

    def resolve_text(self, text: str) -> Person:
        """Without JavaScript: an exact card number, else a name (accent-insensitive; a birth year typed
        with it narrows: "Nguyễn Văn An 1985") held by one person."""
        qs = self._queryset
        by_card = list(qs.filter(pk__in=_card_holders(text))[:2])
        if len(by_card) == 1:
            return by_card[0]
        name, year = split_birth_year(text.split(" — ")[0])
        folded = fold(name)
        named = list(qs.filter(_born_in(year), search_text=folded)[:2]) if folded else []
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                f"Có nhiều đoàn viên tên “{text}” trong phạm vi của bạn: hãy chọn trong danh sách gợi ý "
                "hoặc thêm năm sinh sau họ tên, hoặc nhập số thẻ đoàn viên.",
                code="ambiguous",
            )
        raise forms.ValidationError(
            f"Không tìm thấy đoàn viên “{text}” trong phạm vi của bạn: hãy nhập đúng họ tên hoặc số thẻ.",
            code="invalid_choice",
        )


class UnitPickerField(_PickerField):
    url_name = "members:unit_search"
    placeholder = "Gõ tên hoặc mã đơn vị"
    not_found = "Không tìm thấy đơn vị này trong phạm vi của bạn. Hãy tìm và chọn lại."

    def describe(self, unit: OrgUnit) -> str:
        return unit_label(unit)

    def resolve_text(self, text: str) -> OrgUnit:
        qs = self._queryset
        code = text.rsplit("(", 1)[-1].rstrip(")").strip() if text.endswith(")") else text
        by_code = qs.filter(code=code).first()
        if by_code is not None:
            return by_code
        named = list(qs.filter(Q(search_text__startswith=fold(text)))[:2])
        if len(named) == 1:
            return named[0]
        raise forms.ValidationError(
            f"Không xác định được đơn vị “{text}” trong phạm vi của bạn: hãy chọn trong danh sách gợi ý "
            "hoặc nhập mã đơn vị.",
            code="invalid_choice",
        )
