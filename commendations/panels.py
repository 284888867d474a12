"""The commendations' part of the unit page (`organizations.panels`): the awards recorded for the year in
the unit's subtree, with the way to the eligibility screen."""

from organizations import panels
from organizations.panels import UnitPage

from .selectors import award_summary


def _awards_card(page: UnitPage) -> dict | None:
    if not page.may_see_people:
        return None
    return {"award_summary": award_summary(unit=page.unit, year=page.year)}


panels.register(
    "commendations.awards", order=20, template="commendations/_unit_eligibility.html", context=_awards_card
)
