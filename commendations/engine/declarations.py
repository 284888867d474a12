"""One declaration per award type (pure Python, no Django): the registry everything else derives from.

An ``AwardDeclaration`` says, once, what the rest of the application needs to know about an award type:
its Vietnamese names, the subjects it is for, the unit types that confer (or propose) it, the prerequisite
awards it consumes, the documents its dossier needs, whether it is posted publicly, whether its decision
needs a council vote, the title people register for, and its engine criteria with their parameters
(label, default, rule). The declarations of
the catalogue are in ``awards.py``, each beside its criteria; ``register`` adds one (a test does).

Derived from the registry (never written a second time):
- the award catalogue (``commendations.choices.catalogue_rows`` → the ``AwardType`` rows),
- the engine tables (``engine.evaluate`` reads the declaration of the award code),
- the rule-set parameters with their labels and defaults (``param_decls``, ``default_params``,
  ``missing_params``; ``commendations.params`` for the screens; a data migration back-fills the defaults),
- required dossier documents and prerequisite consumption (``nominations.services``),
- registration titles (``movements.choices``), the unit-page title lists (``commendations.eligibility``)
  and document wording (``documents.nominations_docs``).

The import direction is one way: Django code imports this module, this module imports nothing of Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

PERSON = frozenset({"person"})
COLLECTIVE = frozenset({"collective"})
ANY = PERSON | COLLECTIVE

TITLE = "TITLE"  # danh hiệu thi đua
FORM = "FORM"  # hình thức khen thưởng

# Extra documents a dossier needs (codes of nominations.choices.DocumentKind).
ACHIEVEMENT_REPORT = "BAO_CAO"
COUNCIL_MINUTES = "BIEN_BAN"

# Unit types by level (codes of organizations.choices.UNIT_TYPES).
TOP = ("TLD",)
PROVINCE = ("LDLD_TINH", "CD_NGANH")
PROVINCE_ALL = (*PROVINCE, "CD_VIEN_CHUC")
ABOVE_GRASSROOTS = ("LDLD_HUYEN", "CD_CTTCS")
GRASSROOTS = ("CDCS",)
FROM_GRASSROOTS = (*GRASSROOTS, *ABOVE_GRASSROOTS, *PROVINCE_ALL, *TOP)
FROM_ABOVE_GRASSROOTS = (*ABOVE_GRASSROOTS, *PROVINCE_ALL, *TOP)


@dataclass(frozen=True, slots=True)
class Param:
    """A rule-set parameter: its key, default value, the rule it belongs to and its Vietnamese label."""

    key: str
    default: Any
    rule: str
    label: str
    unit: str = ""  # shown after the value ("năm", "đồng")


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """Awards consumed ("used", R-GEN-01) when this award is decided: `count` of `code`, newest first."""

    code: str
    count: int


@dataclass(frozen=True, slots=True)
class AwardDeclaration:
    code: str
    name: str  # full Vietnamese name
    short_name: str  # used inside sentences
    kind: str  # TITLE | FORM
    subjects: frozenset[str]  # who may receive it: {"person"}, {"collective"} or both
    conferring_unit_types: tuple[str, ...]  # for awards conferred by the State: the proposing authority
    # build(subject=, year=, spec=, as_of=) -> list[Check]; None: the rules give no specific criterion
    build: Callable[..., list] | None = None
    rules: tuple[str, ...] = ()  # rule IDs of its own criteria (rules.md)
    params: tuple[Param, ...] = ()  # parameters its criteria read from the rule set
    quota_rule: str | None = None  # a quota checked over the whole list of nominees
    conferred_by_state: bool = False
    requires_public_posting: bool = False
    documents: tuple[str, ...] = ()  # documents beyond the tờ trình and the danh sách
    prerequisite: Prerequisite | None = None
    registration_title: str | None = None  # the title as offered when registering for a movement
    unit_page_order: int | None = None  # eligible members listed on the unit page, in this order
    own_form: str | None = None  # conferred in the unit's own name: "Bằng khen" → "Bằng khen của <unit>"
    criteria_subjects: frozenset[str] | None = None  # whom the engine judges, when narrower than `subjects`
    # the decision rests on a secret ballot of the authority's council (R-VOTE-01); False: the head of the
    # conferring unit decides each nominee on the dossier (nominations.services.approval)
    council_vote: bool = True

    @property
    def subject_kinds(self) -> frozenset[str]:
        """The subjects the engine evaluates."""
        return self.criteria_subjects if self.criteria_subjects is not None else self.subjects

    @property
    def subject_code(self) -> str:
        """INDIVIDUAL | COLLECTIVE | BOTH (commendations.choices.AwardSubject)."""
        if self.subjects == ANY:
            return "BOTH"
        return "INDIVIDUAL" if self.subjects == PERSON else "COLLECTIVE"


# Parameters that belong to no award: the council vote and the consolidation policy.
GENERAL_PARAMS: tuple[Param, ...] = (
    Param(
        "inherit_on_consolidation",
        False,
        "R-ORG-01",
        "Đơn vị hợp nhất được kế thừa danh hiệu của các đơn vị cũ",
    ),
    # 0.9 under the older decree, 0.8 in the newer rule set — not checked against the official text.
    Param(
        "vote_threshold", 0.9, "R-VOTE-01", "Tỷ lệ phiếu đồng ý tối thiểu trên tổng số thành viên Hội đồng"
    ),
)

DECLARATIONS: dict[str, AwardDeclaration] = {}


def register(declaration: AwardDeclaration) -> AwardDeclaration:
    """Add an award type to the registry (its code must be new; parameter keys unique across awards)."""
    if declaration.code in DECLARATIONS:
        raise ValueError(f"Mã khen thưởng «{declaration.code}» đã được khai báo.")
    known = {p.key: p for p in param_decls()}
    for param in declaration.params:
        other = known.get(param.key)
        if other is not None and other != param:
            raise ValueError(f"Tham số «{param.key}» đã được khai báo khác ở một khen thưởng khác.")
    DECLARATIONS[declaration.code] = declaration
    return declaration


def unregister(code: str) -> None:
    DECLARATIONS.pop(code, None)


def declaration(code: str) -> AwardDeclaration | None:
    return DECLARATIONS.get(code)


def param_decls() -> list[Param]:
    """Every declared parameter once, in catalogue order, then the general ones."""
    seen: dict[str, Param] = {}
    for decl in DECLARATIONS.values():
        for param in decl.params:
            seen.setdefault(param.key, param)
    for param in GENERAL_PARAMS:
        seen.setdefault(param.key, param)
    return list(seen.values())


def default_params() -> dict[str, Any]:
    return {p.key: p.default for p in param_decls()}


def missing_params(params: Mapping[str, Any]) -> list[str]:
    """Keys a rule set must have for the declared awards but lacks."""
    return [p.key for p in param_decls() if p.key not in params]


def registration_titles(kind: str) -> list[tuple[str, str]]:
    """(code, registration title) of the award types one registers for in a movement, in catalogue
    order, for `kind` "person" or "collective" (the source `movements.choices` reads, registered by
    `CommendationsConfig.ready`)."""
    return [
        (d.code, d.registration_title)
        for d in DECLARATIONS.values()
        if d.registration_title and kind in d.subjects
    ]


class _NamesView(Mapping[str, tuple[str, str]]):
    """code -> (full name, short name), read live from the registry."""

    def __getitem__(self, code: str) -> tuple[str, str]:
        decl = DECLARATIONS[code]
        return decl.name, decl.short_name

    def __iter__(self) -> Iterator[str]:
        return iter(list(DECLARATIONS))

    def __len__(self) -> int:
        return len(DECLARATIONS)


AWARD_NAMES: Mapping[str, tuple[str, str]] = _NamesView()
