"""The objects the generated permission matrix looks at, built ONCE per test module (see
`test_permission_matrix_generated.matrix`): the shared test tree and, under LĐLĐ huyện Mỹ Đức and its
Công đoàn UBND, one object of every kind a URL shows — a movement, initiatives in three states, a cluster
with its covenant, a draft dossier and a dossier taken through the whole workflow (public
posting with a comment, a closed council session, a decision and its award records), a certificate
layout, an audit event.

Users: one per role × {in scope: LĐLĐ thành phố Hà Nội with its subtree (an ancestor of every object);
out of scope: LĐLĐ quận Hai Bà Trưng (the sibling branch)}, and a superuser."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from conftest import build_tree
from core.audit import audit_record

AUDIT_MARKER = "Sự kiện kiểm thử ma trận phân quyền"

SCOPES = ("in", "out")  # plus "anon" (logged out) in the test


def user(username: str, role: str | None = None, unit=None, *, include_subtree: bool = True, **extra) -> User:
    account = User.objects.create_user(
        username=username, password="pw", full_name=f"Người dùng {username}", **extra
    )
    if role:
        RoleAssignment.objects.create(
            user=account,
            role=role,
            unit=unit,
            include_subtree=include_subtree,
            valid_from=dt.date(2020, 1, 1),
        )
    return account


def build() -> SimpleNamespace:
    from clusters.models import Cluster, ClusterMember, Covenant
    from commendations.models import AwardType, RuleSet
    from commendations.reference import ensure_catalogue, ensure_rulesets
    from documents import services as document_services
    from documents.models import PaperSize
    from initiatives import services as initiative_services
    from initiatives.models import Initiative
    from movements import services as movement_services
    from movements.choices import MilestoneKind
    from nominations import services as ns
    from nominations.choices import DocumentKind
    from nominations.models import CouncilMember

    t = build_tree()
    ensure_catalogue()
    ensure_rulesets()
    d = SimpleNamespace(t=t)

    # users under test
    d.users = {
        (role, scope): user(f"mt-{role.lower()}-{scope}", role, t.hn if scope == "in" else t.hbt)
        for role in Role
        for scope in SCOPES
    }
    d.superuser = user("mt-superuser", is_superuser=True, is_staff=True)
    # actors who build the data
    cdcs = user("mt-cdcs", Role.OFFICER, t.ubnd)
    district = user("mt-district", Role.OFFICER, t.md)
    city = user("mt-city", Role.OFFICER, t.hn)
    leader = user("mt-leader", Role.LEADER, t.hn)
    council = [user(f"mt-council-{i}") for i in range(9)]
    for i, member in enumerate(council):
        CouncilMember.objects.create(
            unit=t.hn, user=member, role="CHAIR" if i == 0 else "MEMBER", valid_from=dt.date(2024, 1, 1)
        )
    d.city = city

    audit_record(actor=None, action="test.event", obj=t.ubnd, unit=t.ubnd, summary=AUDIT_MARKER)

    # movements and initiatives
    d.movement = movement_services.movement_create(
        acting_user=district,
        organiser=t.md,
        name="Phong trào kiểm thử ma trận phân quyền",
        kind="YEARLY",
        year=2025,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        targets=[{"name": "Tỷ lệ đoàn viên đăng ký thi đua", "unit_of_measure": "%", "target_value": 100}],
        milestones={MilestoneKind.LAUNCH: dt.date(2025, 2, 15), MilestoneKind.FINAL: dt.date(2025, 12, 15)},
    )
    d.movement = movement_services.movement_launch(acting_user=district, movement=d.movement)
    d.initiative = Initiative.objects.create(
        title="Sáng kiến kiểm thử ma trận phân quyền",
        unit=t.ubnd,
        year=2025,
        status="RECOGNIZED",
        recognition_level="CO_SO",
        recognized_on=dt.date(2025, 10, 1),
    )
    data = {
        "description": "Mô tả giải pháp của sáng kiến dùng trong ma trận phân quyền.",
        "unit": t.ubnd,
        "year": 2025,
        "field": "CDS",
        "applied_since": dt.date(2025, 3, 1),
        "benefit_vnd": 10_000_000,
    }
    d.draft_initiative = initiative_services.initiative_create(
        acting_user=district, data={"title": "Sáng kiến nháp ma trận", **data}, authors=[(t.an, 100)]
    )
    submitted = initiative_services.initiative_create(
        acting_user=district, data={"title": "Sáng kiến đã nộp ma trận", **data}, authors=[(t.hoa, 100)]
    )
    d.submitted_initiative = initiative_services.initiative_submit(acting_user=district, initiative=submitted)

    # a cluster of the district with its covenant (scanned document)
    d.cluster = Cluster.objects.create(organiser=t.md, year=2025, name="Cụm kiểm thử ma trận phân quyền")
    ClusterMember.objects.create(cluster=d.cluster, unit=t.ubnd, organiser=t.md, year=2025, role="LEADER")
    covenant = Covenant.objects.create(
        cluster=d.cluster, content="Giao ước thi đua", signed_on=dt.date(2025, 3, 1)
    )
    covenant.document.save("giao-uoc.pdf", ContentFile(b"%PDF-1.4 giao uoc"), save=True)

    # an import of past awards (imports framework), read and checked: its preview waits for the commit
    d.import_batch = _import_batch(t, cdcs)

    # nominations: a draft dossier, and one taken to a decision
    award = AwardType.objects.get(code="BK_LDLD")
    award.requires_public_posting = True
    award.save()
    d.draft = ns.dossier_create(
        acting_user=cdcs,
        proposing_unit=t.ubnd,
        kind="YEARLY",
        year=2025,
        title="Hồ sơ nháp ma trận phân quyền",
    )
    d.draft_item = ns.item_add(
        acting_user=cdcs,
        dossier=d.draft,
        award_type=award,
        person=t.an,
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2025",
        achievement_id="MT-2025-1",
    )
    today = timezone.localdate()

    def accepted(title: str, persons):
        dossier = ns.dossier_create(
            acting_user=cdcs, proposing_unit=t.ubnd, kind="YEARLY", year=2025, title=title
        )
        for person in persons:
            ns.item_add(
                acting_user=cdcs,
                dossier=dossier,
                award_type=award,
                person=person,
                achievement_summary=f"Hoàn thành xuất sắc nhiệm vụ năm 2025 — {person.full_name}",
                achievement_id=f"MT-2025-{dossier.pk}-{person.pk}",
            )
        for kind in (DocumentKind.TO_TRINH, DocumentKind.DANH_SACH):
            ns.document_add(
                acting_user=cdcs,
                dossier=dossier,
                kind=kind,
                file=SimpleUploadedFile(f"{kind.lower()}.pdf", b"%PDF-1.4 test"),
            )
        ns.dossier_submit(acting_user=cdcs, dossier=dossier)
        ns.step_forward(acting_user=district, dossier=dossier)
        ns.step_accept(acting_user=city, dossier=dossier)
        posting = ns.posting_open(
            acting_user=city, dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=10)
        )
        comment = ns.comment_add(
            posting=posting, author_name="Nguyễn Thị Góp Ý", contact="0900000000", text="Đồng ý đề nghị."
        )
        return dossier, posting, comment

    # posted for public comments (moderated while the posting is open)
    d.posted, d.posting, d.comment = accepted("Hồ sơ đang công khai ma trận", [t.an])
    # decided: council session closed, decision issued, award records
    dossier, _, _ = accepted("Hồ sơ đã quyết định ma trận", [t.an, t.hoa])
    ns.posting_close(acting_user=city, dossier=dossier, early_reason="Đã đủ ý kiến góp ý")
    d.session = ns.council_session_open(
        acting_user=city, unit=t.hn, title="Phiên xét khen thưởng ma trận", held_on=today, dossiers=[dossier]
    )
    for member in council:
        for item in dossier.items.all():
            ns.ballot_cast(acting_user=member, session=d.session, item=item, choice="YES")
    ns.council_session_close(acting_user=city, session=d.session)
    d.decision = ns.decision_issue(
        acting_user=leader,
        dossier=dossier,
        issued_on=today,
        signer_name="Khuất Văn Thành",
        signer_title="Chủ tịch",
        symbol="QĐ-LĐLĐ",
    )
    dossier.refresh_from_db()
    d.dossier = dossier
    d.record = d.decision.award_records.filter(person=t.an).get()

    d.layout = document_services.certificate_layout_create(
        acting_user=city,
        issuer=t.hn,
        award_type=None,
        name="Mẫu in ma trận phân quyền",
        paper=PaperSize.A4_LANDSCAPE,
    )
    d.ruleset = RuleSet.objects.order_by("pk").first()
    return d


def _import_batch(t, creator):
    """A past-awards list laid out as an office keeps it, uploaded for Công đoàn UBND huyện Mỹ Đức, read by
    the worker and checked (CHECKED, with its plan stored)."""
    import tempfile
    from pathlib import Path

    from django.core.files.base import ContentFile

    from imports import reading, services
    from imports.models import ImportBatch
    from imports.tests.sheets import office_sheet
    from imports.workflow import IMPORT

    with tempfile.TemporaryDirectory() as work:
        path = office_sheet(
            Path(work) / "khen-thuong-ma-tran.xlsx",
            title="DANH SÁCH KHEN THƯỞNG NĂM 2024",
            header=[
                "STT",
                "Họ và tên",
                "Đơn vị công tác",
                "Danh hiệu",
                "Số quyết định",
                "Ngày quyết định",
                "Cấp khen",
                "Năm",
            ],
            rows=[
                [
                    1,
                    "Nguyễn Văn An",
                    "Tổ CĐ Phòng Nội vụ",
                    "GK",
                    "9/QĐ-CĐ",
                    "20/12/2024",
                    "Công đoàn Ủy ban nhân dân huyện Mỹ Đức",
                    2024,
                ]
            ],
        )
        content = path.read_bytes()
    batch = ImportBatch.objects.create(
        kind="khen-thuong",
        unit=t.ubnd,
        created_by=creator,
        file=ContentFile(content, name="khen-thuong-ma-tran.xlsx"),
        original_name="khen-thuong-ma-tran.xlsx",
    )
    IMPORT.update(ImportBatch.objects.filter(pk=batch.pk), "read", **reading.read_batch(batch))
    batch.refresh_from_db()
    services.batch_check(acting_user=creator, batch=batch)
    batch.refresh_from_db()
    return batch
