"""The member's card on the home page (`organizations.tasks_panel`): their own valid awards, linking to
"Trang của tôi" where each certificate is downloaded. Shown only to an account linked to a member record
that has an award (one query)."""

from __future__ import annotations

from django.urls import reverse

from organizations.tasks_panel import TaskCard, register_home_task

from .selectors_me import my_awards

LISTED = 5


def my_award_tasks(page) -> list[TaskCard]:
    if not getattr(page.user, "person_id", None):
        return []
    valid = [record for record in my_awards(user=page.user) if record.is_valid]
    if not valid:
        return []
    url = reverse("me") + "#khen-thuong-cua-toi"
    return [
        TaskCard(
            title="Khen thưởng của bạn",
            count=len(valid),
            url=url,
            icon="bi-award",
            tone="success",
            items=tuple((f"{record.award_type.name} năm {record.year}", url) for record in valid[:LISTED]),
        )
    ]


register_home_task("me", order=90, context=my_award_tasks)
