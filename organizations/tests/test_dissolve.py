"""Issue 15: dissolving LĐLĐ huyện Mỹ Đức on 01/07/2025 into LĐLĐ thành phố Hà Nội — the tree, the role
assignments, the dossiers waiting at the district, the council, the audit, the confirmation list, the
screens and their permissions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.roles import Role
from core.exceptions import ServiceError
from core.models import AuditEvent
from members.models import Membership
from nominations import services as nominations
from nominations.choices import DocumentKind, SessionState, StepVerdict
from nominations.models import ApprovalStep, CouncilMember, CouncilSession
from organizations.hooks import merge_preview
from organizations.models import OrgUnit
from organizations.services import orgunit_dissolve

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2025, 7, 1)
TITLE = "Đề nghị tặng Bằng khen LĐLĐ thành phố năm 2025"


@pytest.fixture(autouse=True)
def catalogue(db):
    from commendations.reference import ensure_catalogue, ensure_rulesets
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
    ensure_catalogue()
    ensure_rulesets()


@pytest.fixture
def people(tree, make_user):
    def named(full_name, role, unit):
        user = make_user(role, unit)
        user.full_name = full_name
        user.save()
        return user

    return {
        "city": named("Lê Văn Thành", Role.OFFICER, tree.hn),
        "cdcs": make_user(Role.OFFICER, tree.ubnd),
        "district": named("Nguyễn Văn Bình", Role.OFFICER, tree.md),
        "district_leader": named("Phạm Thị Mai", Role.LEADER, tree.md),
        "outsider": make_user(Role.OFFICER, tree.hbt),
    }


@pytest.fixture
def waiting_dossier(tree, people):
    """A dossier of Công đoàn UBND huyện Mỹ Đức submitted for the city's Bằng khen: it waits at the district."""
    from commendations.models import AwardType

    dossier = nominations.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title=TITLE
    )
    nominations.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=AwardType.objects.get(code="BK_LDLD"),
        person=tree.an,
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2025",
        achievement_id="TT-2025-1",
    )
    for kind in (DocumentKind.TO_TRINH, DocumentKind.DANH_SACH):
        nominations.document_add(
            acting_user=people["cdcs"],
            dossier=dossier,
            kind=kind,
            file=SimpleUploadedFile(f"{kind.lower()}.pdf", b"%PDF-1.4 test"),
        )
    nominations.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.current_level == tree.md and dossier.authority == tree.hn
    return dossier


def dissolve(tree, people, **overrides):
    values = {
        "acting_user": people["city"],
        "unit": tree.md,
        "successor": tree.hn,
        "on": JULY_1,
        "document_number": "125/QĐ-LĐLĐ",
        "document_date": dt.date(2025, 6, 20),
        "reason": "Sắp xếp tổ chức theo Kết luận 127-KL/TW",
    }
    values.update(overrides)
    return orgunit_dissolve(**values)


def test_dissolving_the_district_moves_everything_to_the_city(tree, people, waiting_dossier):
    seat = CouncilMember.objects.create(
        unit=tree.md, user=people["district_leader"], role="CHAIR", valid_from=dt.date(2024, 1, 1)
    )
    session = CouncilSession.objects.create(
        unit=tree.md, title="Xét khen thưởng 6 tháng", held_on=dt.date(2025, 6, 25), council_size=5
    )
    successor = dissolve(tree, people)

    assert successor == tree.hn
    md = OrgUnit.objects.get(pk=tree.md.pk)
    assert md.valid_to == dt.date(2025, 6, 30) and md.successor == tree.hn
    ubnd = OrgUnit.objects.get(pk=tree.ubnd.pk)
    assert OrgUnit.objects.get_parent(ubnd) == tree.hn
    assert tree.an.memberships.get(ended_on__isnull=True).unit == tree.t1  # the group moved with its CĐCS

    # the district's role assignments ended on its last day, never deleted
    ended = RoleAssignment.objects.filter(unit=tree.md)
    assert ended.count() == 2 and {a.valid_to for a in ended} == {dt.date(2025, 6, 30)}
    assert RoleAssignment.objects.get(user=people["city"]).valid_to is None

    # the dossier waiting at the district now waits at the city, which is also its authority
    waiting_dossier.refresh_from_db()
    step = ApprovalStep.objects.get(dossier=waiting_dossier, verdict=StepVerdict.PENDING)
    assert step.level == tree.hn and step.is_authority and waiting_dossier.current_level == tree.hn
    assert ApprovalStep.objects.filter(dossier=waiting_dossier).count() == 1  # moved, not duplicated

    # the district's former officer can no longer act on it; the city can
    with pytest.raises(PermissionDenied):
        nominations.step_forward(acting_user=people["district"], dossier=waiting_dossier)
    with pytest.raises(PermissionDenied):
        nominations.step_open(acting_user=people["district"], dossier=waiting_dossier)
    nominations.step_open(acting_user=people["city"], dossier=waiting_dossier)

    # the council: the open session goes to the city, the seat ends
    session.refresh_from_db()
    seat.refresh_from_db()
    assert session.unit == tree.hn and seat.valid_to == dt.date(2025, 6, 30)

    event = AuditEvent.objects.get(action="orgunit.dissolve")
    assert event.unit_id == tree.md.pk and event.actor == people["city"]
    assert "125/QĐ-LĐLĐ" in event.summary and "20/06/2025" in event.summary
    assert "01/07/2025" in event.summary and "Thành phố Hà Nội".lower() in event.summary.lower()
    assert "1 đơn vị trực thuộc" in event.summary and "1 hồ sơ đang chờ xét" in event.summary
    assert event.changes["document"] == [None, {"number": "125/QĐ-LĐLĐ", "date": "2025-06-20"}]
    assert AuditEvent.objects.filter(action="orgunit.dissolve_in", unit=tree.hn).exists()
    assert AuditEvent.objects.filter(action="role.end", unit=tree.md).count() == 2
    assert AuditEvent.objects.filter(action="dossier.reroute", unit=tree.hn).count() == 1


def test_closed_session_and_past_roles_stay_as_they_were(tree, people):
    closed = CouncilSession.objects.create(
        unit=tree.md,
        title="Xét khen năm 2024",
        held_on=dt.date(2024, 12, 1),
        council_size=5,
        state=SessionState.CLOSED,
    )
    old = RoleAssignment.objects.get(user=people["district"])
    old.valid_to = dt.date(2025, 1, 31)
    old.save()
    dissolve(tree, people)
    closed.refresh_from_db()
    old.refresh_from_db()
    assert closed.unit == tree.md and old.valid_to == dt.date(2025, 1, 31)


def test_the_preview_lists_every_line(tree, people, waiting_dossier):
    CouncilMember.objects.create(
        unit=tree.md, user=people["district_leader"], role="CHAIR", valid_from=dt.date(2024, 1, 1)
    )
    direct = Membership.objects.get(person=tree.chu_tich, ended_on__isnull=True)
    direct.unit = tree.md  # a member held directly at the district (its office staff)
    direct.save()
    sections = dict(merge_preview(tree.md, tree.hn, JULY_1))
    assert sections["Đơn vị trực thuộc"] == [
        "Chuyển “Công đoàn Ủy ban nhân dân huyện Mỹ Đức” sang trực thuộc “Liên đoàn Lao động thành phố Hà Nội”"
    ]
    assert sections["Đoàn viên chuyển sinh hoạt"] == [
        "Chuyển sinh hoạt của đoàn viên Đặng Đức Thắng sang “Liên đoàn Lao động thành phố Hà Nội”"
    ]
    assert sections["Vai trò chấm dứt"] == [
        "Chấm dứt vai trò Cán bộ thi đua, khen thưởng của Nguyễn Văn Bình tại “Liên đoàn Lao động huyện Mỹ Đức”",
        "Chấm dứt vai trò Lãnh đạo đơn vị của Phạm Thị Mai tại “Liên đoàn Lao động huyện Mỹ Đức”",
    ]
    nominations_lines = sections["Hồ sơ khen thưởng và Hội đồng TĐKT"]
    assert f"Chuyển bước xét hồ sơ “{TITLE}” sang Liên đoàn Lao động thành phố Hà Nội" in nominations_lines
    assert any("Phạm Thị Mai" in line and "Hội đồng TĐKT" in line for line in nominations_lines)
    assert len(nominations_lines) == 2
    # a preview changes nothing
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to is None
    assert RoleAssignment.objects.filter(unit=tree.md, valid_to__isnull=True).count() == 2


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"successor": "ubnd"}, "trực thuộc đơn vị này"),
        ({"successor": "md"}, "trực thuộc đơn vị này"),
        ({"on": None}, "Nhập ngày giải thể"),
        ({"document_number": "  "}, "số văn bản"),
        ({"document_date": None}, "ngày của văn bản"),
    ],
)
def test_refusals(tree, people, overrides, message):
    overrides = {k: getattr(tree, v) if k == "successor" else v for k, v in overrides.items()}
    with pytest.raises(ServiceError, match=message):
        dissolve(tree, people, **overrides)
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to is None


def test_refuses_a_successor_not_active_that_day(tree, people):
    OrgUnit.objects.filter(pk=tree.hbt.pk).update(valid_to=dt.date(2025, 6, 30))
    with pytest.raises(ServiceError, match="không còn hiệu lực vào ngày 01/07/2025"):
        dissolve(tree, people, successor=OrgUnit.objects.get(pk=tree.hbt.pk))


def test_refuses_the_root(tree, make_user):
    admin = make_user(is_superuser=True)
    with pytest.raises(ServiceError, match="cấp cao nhất"):
        orgunit_dissolve(
            acting_user=admin,
            unit=tree.vn,
            successor=tree.nb,
            on=JULY_1,
            document_number="1",
            document_date=JULY_1,
        )


def test_the_unit_itself_cannot_dissolve_itself(tree, people):
    """Dissolving is the parent's decision: the district's own officer is refused."""
    with pytest.raises(PermissionDenied):
        dissolve(tree, people, acting_user=people["district"], successor=tree.hn)
    with pytest.raises(PermissionDenied):
        dissolve(tree, people, acting_user=people["outsider"])


# screens


def _post_values(tree, **extra):
    return {
        "successor": tree.hn.pk,
        "on": "2025-07-01",
        "document_number": "125/QĐ-LĐLĐ",
        "document_date": "2025-06-20",
        "reason": "Sắp xếp tổ chức",
        **extra,
    }


def test_form_preview_confirm(client, tree, people, waiting_dossier):
    client.force_login(people["city"])
    page = client.get(reverse("organizations:detail", args=[tree.md.pk])).content.decode()
    assert reverse("organizations:dissolve", args=[tree.md.pk]) in page and "Giải thể đơn vị" in page

    url = reverse("organizations:dissolve", args=[tree.md.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["successor"] == tree.hn.pk
    successors = set(form.context["form"].fields["successor"].queryset)
    assert tree.hn in successors and tree.hbt in successors and tree.mk in successors  # any type
    assert tree.ubnd not in successors and tree.md not in successors

    preview = client.post(url, _post_values(tree))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Xác nhận giải thể" in html
    assert "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in html and "Nguyễn Văn Bình" in html and TITLE in html
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to is None  # nothing happened yet
    back = client.post(url, _post_values(tree, sua="1"))  # "Quay lại sửa": the form as it was filled in
    assert back.status_code == 200 and "Xác nhận giải thể" not in back.content.decode()
    assert back.context["form"]["document_number"].value() == "125/QĐ-LĐLĐ"
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to is None

    done = client.post(url, _post_values(tree, xac_nhan="1"), follow=True)
    assert done.redirect_chain[-1][0] == reverse("organizations:detail", args=[tree.hn.pk])
    assert "Đã giải thể “Liên đoàn Lao động huyện Mỹ Đức” từ ngày 01/07/2025" in done.content.decode()
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to == dt.date(2025, 6, 30)


def test_form_errors_name_the_field(client, tree, people):
    client.force_login(people["city"])
    url = reverse("organizations:dissolve", args=[tree.md.pk])
    response = client.post(url, _post_values(tree, document_number=""))
    assert response.status_code == 200 and "Xác nhận giải thể" not in response.content.decode()
    assert response.context["form"].errors["document_number"]


def test_permissions(client, tree, people):
    url = reverse("organizations:dissolve", args=[tree.md.pk])
    client.force_login(people["outsider"])  # another branch's officer: the district is out of sight
    assert client.get(url).status_code == 404
    assert client.post(url, _post_values(tree, xac_nhan="1")).status_code == 404
    client.force_login(people["district"])  # the district's own officer: not its parent
    assert client.get(url).status_code == 403
    assert client.post(url, _post_values(tree, xac_nhan="1")).status_code == 403
    page = client.get(reverse("organizations:detail", args=[tree.md.pk])).content.decode()
    assert "Giải thể đơn vị" not in page
    assert OrgUnit.objects.get(pk=tree.md.pk).valid_to is None


def test_merge_may_target_a_higher_level_of_another_type(client, tree, people):
    client.force_login(people["city"])
    targets = set(
        client.get(reverse("organizations:merge", args=[tree.md.pk]))
        .context["form"]
        .fields["target"]
        .queryset
    )
    assert tree.hn in targets and tree.hbt in targets  # the parent (another type) and a sibling
    assert tree.mk not in targets  # a CĐCS is below a district federation
