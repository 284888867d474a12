import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from initiatives import services
from initiatives.choices import Level, Status
from initiatives.models import Initiative
from initiatives.selectors import initiative_counts, initiative_similar, initiative_visible

SCORES = {"novelty": 8, "applicability": 8, "effectiveness": 8}


def _recognise(initiative, user, level=Level.CO_SO):
    services.initiative_review(acting_user=user, initiative=initiative, scores=SCORES, verdict="ACCEPT")
    return services.initiative_decide(
        acting_user=user,
        initiative=initiative,
        recognize=True,
        level=level,
        recognized_on=dt.date(2024, 12, 1),
        decision_ref="1/QĐ",
    )


def test_initiative_counts_per_subtree_in_one_query(tree, make_initiative, make_user, officer):
    admin = make_user(is_superuser=True)
    for i in range(3):
        _recognise(make_initiative(f"Sáng kiến UBND {i}", "Mô tả", submit=True), admin)
    make_initiative("Chưa nộp", "Mô tả")  # draft: not counted
    make_initiative("Năm khác", "Mô tả", year=2023, submit=True)
    mk = make_initiative(
        "Sáng kiến Minh Khai",
        "Mô tả",
        unit=tree.mk,
        authors=[(tree.minh_khai, 100)],
        user=make_user(Role.OFFICER, tree.hbt),
        submit=False,
    )
    services.initiative_submit(acting_user=admin, initiative=mk)
    _recognise(mk, admin)
    old = make_initiative("Sáng kiến 2023", "Mô tả", year=2023, submit=True)
    _recognise(old, admin)

    with CaptureQueriesContext(connection) as ctx:
        counts = initiative_counts(units=[tree.md, tree.hbt], year=2024)
    assert counts == {tree.md.pk: 3, tree.hbt.pk: 1}
    assert len(ctx.captured_queries) == 1
    assert initiative_counts(units=[tree.hn, tree.nb], year=2024) == {tree.hn.pk: 4, tree.nb.pk: 0}
    assert initiative_counts(units=[tree.hn], year=2023) == {tree.hn.pk: 1}
    assert initiative_counts(units=[tree.t1, tree.ubnd], year=2024) == {tree.t1.pk: 0, tree.ubnd.pk: 3}
    assert initiative_counts(units=[], year=2024) == {}


def test_visibility_scopes_drafts_and_own(tree, make_initiative, make_user, member):
    draft = make_initiative("Bản nháp của An", "x", authors=[(tree.an, 100)])
    submitted = make_initiative("Đã nộp", "x", authors=[(tree.hoa, 100)], submit=True)
    hoa_draft = make_initiative("Nháp của Hoa", "x", authors=[(tree.hoa, 100)])
    leader = make_user(Role.LEADER, tree.md)
    hbt = make_user(Role.OFFICER, tree.hbt)
    assert set(initiative_visible(user=leader)) == {submitted}  # leaders see no drafts
    assert set(initiative_visible(user=member)) == {draft, submitted}  # own draft + their CĐCS's
    assert hoa_draft not in initiative_visible(user=member)
    assert not initiative_visible(user=hbt).exists()


def test_similar_candidates_in_the_same_federation_one_query(tree, make_initiative, make_user, officer):
    original = make_initiative(submit=True)
    make_initiative("Cải tiến quy trình cắt vải giảm hao hụt nguyên liệu", "Giác mẫu.", submit=True)
    make_initiative("Bản nháp giống hệt", "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử")  # drafts ignored
    nb_officer = make_user(Role.OFFICER, tree.nb)
    with CaptureQueriesContext(connection) as ctx:
        similar = initiative_similar(
            user=officer,
            title="Quan ly ho so mot cua dien tu bang phan mem",
            description="",
            unit=tree.ubnd,
        )
    assert len(ctx.captured_queries) == 1
    assert similar[0]["id"] == original.pk and similar[0]["warn"] and similar[0]["may_open"]
    assert all(s["title"] != "Bản nháp giống hệt" for s in similar)
    # Ninh Bình is another federation: Hà Nội's initiatives are not candidates there
    assert initiative_similar(user=nb_officer, title=original.title, unit=tree.yk_ubnd) == []
    assert Initiative.objects.filter(status=Status.DRAFT).count() == 1
