"""Issue 15: consolidating (Hợp nhất) LĐLĐ tỉnh Ninh Bình, Hà Nam and Nam Định into a new LĐLĐ tỉnh Ninh
Bình from 01/07/2025, and splitting (Chia tách) a unit into new ones — the services, their refusals and
permissions, the lineage, and the screens."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.roles import Role
from conftest import add_person, add_unit
from core.exceptions import ServiceError
from core.models import AuditEvent
from members.models import Membership
from organizations import hooks
from organizations import tree as dated_tree
from organizations.models import OrgUnit, OrgUnitType, Succession, UnitPlacement
from organizations.services import orgunit_consolidate, orgunit_split

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2025, 7, 1)
JUNE_30 = dt.date(2025, 6, 30)
DOC = {"document_number": "88/QĐ-TLĐ", "document_date": dt.date(2025, 6, 25)}


def fresh(unit):
    return OrgUnit.objects.get(pk=unit.pk)


@pytest.fixture
def provinces(tree):
    vn = fresh(tree.vn)
    ha_nam = add_unit(vn, "HNA", "Liên đoàn Lao động tỉnh Hà Nam", "LDLD_TINH")
    nam_dinh = add_unit(OrgUnit.objects.get(pk=vn.pk), "ND", "Liên đoàn Lao động tỉnh Nam Định", "LDLD_TINH")
    cdcs_hna = add_unit(ha_nam, "HNA-BV", "Công đoàn Bệnh viện tỉnh Hà Nam", "CDCS")
    add_person(cdcs_hna, "Vũ Thị Lan", card="3500000001")
    return {"nb": fresh(tree.nb), "hna": fresh(ha_nam), "nd": fresh(nam_dinh), "hna_bv": fresh(cdcs_hna)}


@pytest.fixture
def central(make_user, tree):
    return make_user(Role.OFFICER, tree.vn)


def consolidate(tree, provinces, user, **overrides):
    values = {
        "acting_user": user,
        "sources": [provinces["nb"], provinces["hna"], provinces["nd"]],
        "parent": fresh(tree.vn),
        "name": "Liên đoàn Lao động tỉnh Ninh Bình",
        "code": "NB-2025",
        "unit_type": OrgUnitType.objects.get(code="LDLD_TINH"),
        "on": JULY_1,
        "reason": "Hợp nhất tỉnh theo Nghị quyết 202/2025/QH15",
        **DOC,
    }
    values.update(overrides)
    return orgunit_consolidate(**values)


# --- consolidation: services -------------------------------------------------------------------------


def test_consolidation_founds_the_new_unit_and_closes_the_sources(tree, provinces, central):
    new = consolidate(tree, provinces, central)

    assert new.valid_from == JULY_1 and new.code == "NB-2025"
    assert OrgUnit.objects.get_parent(new) == tree.vn
    for key in ("nb", "hna", "nd"):
        old = fresh(provinces[key])
        assert old.valid_to == JUNE_30 and old.successor == new
        succession = Succession.objects.get(predecessor=old)
        assert succession.successor == new and succession.kind == Succession.Kind.CONSOLIDATE
        assert succession.on == JULY_1 and succession.document_number == "88/QĐ-TLĐ"
    # the old units' children now sit under the new unit, their former parent kept in the dated tree
    for child in (tree.yk, provinces["hna_bv"]):
        assert OrgUnit.objects.get_parent(fresh(child)) == new
    placement = UnitPlacement.objects.get(unit=provinces["hna_bv"])
    assert placement.parent == provinces["hna"] and placement.valid_to == JUNE_30
    assert placement.document_number == "88/QĐ-TLĐ"
    assert dated_tree.parents_on(dt.date(2025, 6, 1), units=[provinces["hna_bv"].pk]) == {
        provinces["hna_bv"].pk: provinces["hna"].pk
    }
    # the members moved with their grassroots union; the lineage reads both ways
    member = Membership.objects.get(person__full_name="Vũ Thị Lan", ended_on__isnull=True)
    assert member.unit == provinces["hna_bv"]
    story = dated_tree.lineage(new)
    assert {s.predecessor for s in story["came_from"]} == {fresh(provinces[k]) for k in ("nb", "hna", "nd")}
    event = AuditEvent.objects.get(action="orgunit.consolidate_in")
    assert event.unit_id == new.pk and event.actor == central
    assert "Liên đoàn Lao động tỉnh Hà Nam" in event.summary and "88/QĐ-TLĐ" in event.summary
    assert "01/07/2025" in event.summary
    per_source = AuditEvent.objects.filter(action="orgunit.consolidate")
    assert {e.unit_id for e in per_source} == {provinces[k].pk for k in ("nb", "hna", "nd")}
    hna_event = per_source.get(unit=provinces["hna"])
    assert "1 đơn vị trực thuộc" in hna_event.summary and "88/QĐ-TLĐ" in hna_event.summary
    assert AuditEvent.objects.filter(action="orgunit.create", unit=new).exists()


def test_the_new_unit_takes_the_roles_ends_and_members_held_directly(tree, provinces, central, make_user):
    officer_nb = make_user(Role.OFFICER, tree.nb)
    direct = Membership.objects.get(person=tree.yen_khanh, ended_on__isnull=True)
    direct.unit = provinces["nd"]
    direct.save()
    new = consolidate(tree, provinces, central)
    assert Membership.objects.get(person=tree.yen_khanh, ended_on__isnull=True).unit == new
    assert RoleAssignment.objects.get(user=officer_nb).valid_to == JUNE_30


@pytest.mark.parametrize(
    "case, message",
    [
        ("one_source", "ít nhất hai đơn vị"),
        ("twice", "ít nhất hai đơn vị"),
        ("nested", "trực thuộc “Liên đoàn Lao động tỉnh Ninh Bình”"),
        ("parent_is_source", "hãy chọn một đơn vị bên ngoài"),
        ("parent_inside_source", "hãy chọn một đơn vị bên ngoài"),
        ("closed", "đã hết hiệu lực"),
        ("ended_type", "không còn được thành lập mới"),
        ("code_taken", "đã được dùng"),
        ("no_number", "số văn bản"),
        ("no_date", "ngày của văn bản"),
        ("no_name", "Tên đơn vị không được để trống"),
    ],
)
def test_consolidation_refusals(tree, provinces, central, case, message):
    nb, hna, nd = provinces["nb"], provinces["hna"], provinces["nd"]
    overrides = {
        "one_source": {"sources": [nb]},
        "twice": {"sources": [nb, nb]},
        "nested": {"sources": [nb, fresh(tree.yk)]},
        "parent_is_source": {"parent": nb},
        "parent_inside_source": {"parent": fresh(tree.yk)},
        "closed": {},
        "ended_type": {"unit_type": OrgUnitType.objects.get(code="LDLD_HUYEN")},
        "code_taken": {"code": "HN"},
        "no_number": {"document_number": " "},
        "no_date": {"document_date": None},
        "no_name": {"name": " "},
    }[case]
    if case == "closed":
        OrgUnit.objects.filter(pk=nd.pk).update(valid_to=dt.date(2025, 1, 31))
    before = OrgUnit.objects.count()
    with pytest.raises(ServiceError, match=message):
        consolidate(tree, provinces, central, **overrides)
    assert OrgUnit.objects.count() == before and not Succession.objects.exists()
    assert fresh(hna).valid_to is None


def test_consolidation_needs_manage_on_the_parent_and_every_source(tree, provinces, make_user):
    nb_officer = make_user(Role.OFFICER, tree.nb)
    with pytest.raises(PermissionDenied):
        consolidate(tree, provinces, nb_officer)
    hn_officer = make_user(Role.OFFICER, tree.hn)
    with pytest.raises(PermissionDenied):  # manages a parent, not the sources
        consolidate(tree, provinces, hn_officer, parent=fresh(tree.hn))
    viewer = make_user(Role.LEADER, tree.vn)  # sees the whole tree, manages none of it
    with pytest.raises(PermissionDenied):
        consolidate(tree, provinces, viewer)
    assert not OrgUnit.objects.filter(code="NB-2025").exists()


def test_a_failure_in_a_later_source_leaves_nothing_changed(tree, provinces, central):
    def refuse_nam_dinh(*, acting_user, source, target, on, reason):
        if source.code == "ND":
            raise ServiceError("Không chuyển được dữ liệu của Nam Định.")
        return None

    hooks.register_merge_handler("tests.refuse", refuse_nam_dinh, order=99)
    try:
        with pytest.raises(ServiceError, match="Nam Định"):
            consolidate(tree, provinces, central)
    finally:
        hooks.unregister_merge_handler("tests.refuse")
    assert not OrgUnit.objects.filter(code="NB-2025").exists()
    assert all(fresh(provinces[k]).valid_to is None for k in ("nb", "hna", "nd"))
    assert OrgUnit.objects.get_parent(fresh(tree.yk)) == tree.nb
    assert not UnitPlacement.objects.exists() and not Succession.objects.exists()
    assert Membership.objects.get(person__full_name="Vũ Thị Lan", ended_on__isnull=True)
    assert not AuditEvent.objects.filter(action__startswith="orgunit.").exists()


# --- split: services ---------------------------------------------------------------------------------


@pytest.fixture
def split_parts():
    cdcs = OrgUnitType.objects.get(code="CDCS")
    return [
        {"name": "Công đoàn Văn phòng HĐND-UBND huyện Mỹ Đức", "code": "MD-VP", "unit_type": cdcs},
        {
            "name": "Công đoàn Phòng Tài chính huyện Mỹ Đức",
            "code": "MD-TC",
            "unit_type": cdcs,
            "short_name": "CĐ TC",
        },
    ]


def split(tree, user, parts, **overrides):
    values = {
        "acting_user": user,
        "unit": fresh(tree.ubnd),
        "parts": parts,
        "assignments": {tree.t1.pk: 0, tree.t2.pk: 1},
        "members_to": 0,
        "on": JULY_1,
        "reason": "Chia tách theo đề nghị",
        **DOC,
    }
    values.update(overrides)
    return orgunit_split(**values)


def test_split_founds_the_parts_and_moves_each_child(tree, make_user, split_parts):
    user = make_user(Role.OFFICER, tree.md)
    ubnd_officer = make_user(Role.OFFICER, tree.ubnd)
    first, second = split(tree, user, split_parts)

    for part in (first, second):
        assert part.valid_from == JULY_1 and OrgUnit.objects.get_parent(part) == tree.md
        succession = Succession.objects.get(predecessor=tree.ubnd, successor=part)
        assert succession.kind == Succession.Kind.SPLIT and succession.document_number == "88/QĐ-TLĐ"
    assert second.short_name == "CĐ TC"
    assert OrgUnit.objects.get_parent(fresh(tree.t1)) == first
    assert OrgUnit.objects.get_parent(fresh(tree.t2)) == second
    old = fresh(tree.ubnd)
    assert old.valid_to == JUNE_30 and old.successor == first
    assert UnitPlacement.objects.get(unit=tree.t2).parent == tree.ubnd
    # the members held directly at the unit and its roles go to part 1
    assert Membership.objects.get(person=tree.chu_tich, ended_on__isnull=True).unit == first
    assert RoleAssignment.objects.get(user=ubnd_officer).valid_to == JUNE_30
    # members of the groups moved with their group
    assert Membership.objects.get(person=tree.hoa, ended_on__isnull=True).unit == tree.t2
    assert {s.successor for s in dated_tree.lineage(old)["went_to"]} == {first, second}
    event = AuditEvent.objects.get(action="orgunit.split")
    assert event.unit_id == tree.ubnd.pk and "Công đoàn Phòng Tài chính huyện Mỹ Đức" in event.summary


@pytest.mark.parametrize(
    "case, message",
    [
        ("one_part", "từ 2 đến 5"),
        ("unassigned", "Chọn đơn vị mới nhận “Tổ công đoàn Phòng Tài chính - Kế hoạch”"),
        ("bad_index", "Chọn đơn vị mới nhận"),
        ("members_to", "đoàn viên, vai trò và hồ sơ"),
        ("same_codes", "trùng"),
        ("code_taken", "đã được dùng"),
        ("ended_type", "không còn được thành lập mới"),
        ("no_name", "tên đơn vị mới thứ 2"),
        ("closed", "không còn hiệu lực"),
        ("no_number", "số văn bản"),
    ],
)
def test_split_refusals(tree, make_user, split_parts, case, message):
    user = make_user(Role.OFFICER, tree.md)
    parts = [dict(p) for p in split_parts]
    overrides = {}
    if case == "one_part":
        parts = parts[:1]
    elif case == "unassigned":
        overrides["assignments"] = {tree.t1.pk: 0}
    elif case == "bad_index":
        overrides["assignments"] = {tree.t1.pk: 0, tree.t2.pk: 4}
    elif case == "members_to":
        overrides["members_to"] = 2
    elif case == "same_codes":
        parts[1]["code"] = parts[0]["code"]
    elif case == "code_taken":
        parts[1]["code"] = "HN-HBT"
    elif case == "ended_type":
        parts[1]["unit_type"] = OrgUnitType.objects.get(code="LDLD_HUYEN")
    elif case == "no_name":
        parts[1]["name"] = ""
    elif case == "closed":
        OrgUnit.objects.filter(pk=tree.ubnd.pk).update(valid_to=dt.date(2025, 1, 31))
    elif case == "no_number":
        overrides["document_number"] = ""
    before = OrgUnit.objects.count()
    with pytest.raises(ServiceError, match=message):
        split(tree, user, parts, **overrides)
    assert OrgUnit.objects.count() == before and not Succession.objects.exists()
    assert OrgUnit.objects.get_parent(fresh(tree.t1)) == tree.ubnd


def test_split_is_decided_by_the_level_above(tree, make_user, split_parts):
    with pytest.raises(PermissionDenied):
        split(tree, make_user(Role.OFFICER, tree.ubnd), split_parts)
    with pytest.raises(PermissionDenied):
        split(tree, make_user(Role.OFFICER, tree.hbt), split_parts)
    assert fresh(tree.ubnd).valid_to is None


def test_split_all_or_nothing(tree, make_user, split_parts):
    def refuse(**kwargs):
        raise ServiceError("Lỗi chuyển dữ liệu.")

    hooks.register_merge_handler("tests.refuse", refuse, order=99)
    try:
        with pytest.raises(ServiceError):
            split(tree, make_user(Role.OFFICER, tree.md), split_parts)
    finally:
        hooks.unregister_merge_handler("tests.refuse")
    assert not OrgUnit.objects.filter(code__in=["MD-VP", "MD-TC"]).exists()
    assert OrgUnit.objects.get_parent(fresh(tree.t1)) == tree.ubnd and not UnitPlacement.objects.exists()


# --- screens -----------------------------------------------------------------------------------------


def _consolidate_post(tree, provinces, **extra):
    return {
        "others": [provinces["hna"].pk, provinces["nd"].pk],
        "parent": tree.vn.pk,
        "name": "Liên đoàn Lao động tỉnh Ninh Bình",
        "short_name": "LĐLĐ tỉnh Ninh Bình",
        "code": "NB-2025",
        "unit_type": OrgUnitType.objects.get(code="LDLD_TINH").pk,
        "on": "2025-07-01",
        "document_number": "88/QĐ-TLĐ",
        "document_date": "2025-06-25",
        "reason": "Hợp nhất tỉnh",
        **extra,
    }


def test_consolidate_screen_form_preview_confirm(client, tree, provinces, central):
    client.force_login(central)
    url = reverse("organizations:consolidate", args=[tree.nb.pk])
    page = client.get(reverse("organizations:detail", args=[tree.nb.pk])).content.decode()
    assert url in page and "Hợp nhất đơn vị" in page

    form = client.get(url)
    assert form.status_code == 200
    others = set(form.context["form"].fields["others"].queryset)
    assert others == {tree.hn, provinces["hna"], provinces["nd"]}  # the same level, not itself
    assert form.context["form"].initial["parent"] == tree.vn.pk

    preview = client.post(url, _consolidate_post(tree, provinces))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Xác nhận hợp nhất" in html
    assert "Từ “Liên đoàn Lao động tỉnh Hà Nam”" in html
    assert (
        "Chuyển “Công đoàn Bệnh viện tỉnh Hà Nam” sang trực thuộc “Liên đoàn Lao động tỉnh Ninh Bình”" in html
    )
    assert "Chuyển “Liên đoàn Lao động huyện Yên Khánh” sang trực thuộc" in html
    assert not OrgUnit.objects.filter(code="NB-2025").exists()

    back = client.post(url, _consolidate_post(tree, provinces, sua="1"))
    assert "Xác nhận hợp nhất" not in back.content.decode()
    assert back.context["form"]["code"].value() == "NB-2025"

    done = client.post(url, _consolidate_post(tree, provinces, xac_nhan="1"), follow=True)
    new = OrgUnit.objects.get(code="NB-2025")
    assert done.redirect_chain[-1][0] == reverse("organizations:detail", args=[new.pk])
    html = done.content.decode()
    assert "Đã hợp nhất 3 đơn vị thành “Liên đoàn Lao động tỉnh Ninh Bình”" in html
    assert "Quá trình hình thành" in html and "Hình thành từ" in html and "Hợp nhất, từ 01/07/2025" in html
    assert reverse("organizations:detail", args=[provinces["hna"].pk]) in html
    old = client.get(reverse("organizations:detail", args=[provinces["hna"].pk])).content.decode()
    assert "Đã hợp nhất vào" in old and reverse("organizations:detail", args=[new.pk]) in old


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"others": []}, "others", "Chọn ít nhất một đơn vị cùng hợp nhất."),
        ({"name": ""}, "name", "Nhập tên đơn vị mới."),
        ({"code": "HN"}, "code", "Mã đơn vị “HN” đã được dùng"),
        ({"document_number": ""}, "document_number", "Nhập số văn bản quyết định."),
        ({"document_date": ""}, "document_date", "Nhập ngày văn bản."),
        ({"on": "ngày mai"}, "on", "Hợp nhất từ ngày không hợp lệ."),
        ({"unit_type": "LDLD_HUYEN"}, "unit_type", "không còn được thành lập mới"),
    ],
)
def test_consolidate_screen_errors_name_the_field(client, tree, provinces, central, extra, field, message):
    if extra.get("unit_type"):
        extra["unit_type"] = OrgUnitType.objects.get(code=extra["unit_type"]).pk
    client.force_login(central)
    response = client.post(
        reverse("organizations:consolidate", args=[tree.nb.pk]), _consolidate_post(tree, provinces, **extra)
    )
    assert response.status_code == 200 and "Xác nhận hợp nhất" not in response.content.decode()
    assert any(message in error for error in response.context["form"].errors[field])
    assert not OrgUnit.objects.filter(code="NB-2025").exists()


def test_consolidate_screen_service_refusal_goes_on_the_field(client, tree, provinces, central):
    OrgUnit.objects.filter(pk=provinces["nd"].pk).update(valid_to=dt.date(2025, 1, 31))
    client.force_login(central)
    url = reverse("organizations:consolidate", args=[tree.nb.pk])
    response = client.post(
        url, _consolidate_post(tree, provinces, others=[provinces["hna"].pk], parent=tree.yk.pk)
    )
    assert response.context["form"].errors["parent"]  # Yên Khánh is inside Ninh Bình: not offered
    response = client.post(url, _consolidate_post(tree, provinces, parent=tree.vn.pk))
    assert response.context["form"].errors["others"]  # Nam Định has ended: not offered either


def test_consolidate_screen_permissions(client, tree, provinces, make_user):
    url = reverse("organizations:consolidate", args=[tree.nb.pk])
    client.force_login(make_user(Role.OFFICER, tree.hn))
    assert client.get(url).status_code == 404
    nb_officer = make_user(Role.OFFICER, tree.nb)
    client.force_login(nb_officer)
    assert client.get(url).status_code == 200  # may open it, but offered no other unit
    response = client.post(url, _consolidate_post(tree, provinces, xac_nhan="1"))
    assert response.status_code == 200 and response.context["form"].errors["others"]
    assert not OrgUnit.objects.filter(code="NB-2025").exists()


def _split_post(tree, **extra):
    cdcs = OrgUnitType.objects.get(code="CDCS").pk
    return {
        "so_phan": "2",
        "part1_name": "Công đoàn Văn phòng HĐND-UBND huyện Mỹ Đức",
        "part1_code": "MD-VP",
        "part1_unit_type": cdcs,
        "part1_short_name": "",
        "part2_name": "Công đoàn Phòng Tài chính huyện Mỹ Đức",
        "part2_code": "MD-TC",
        "part2_unit_type": cdcs,
        "part2_short_name": "",
        f"child_{tree.t1.pk}": "0",
        f"child_{tree.t2.pk}": "1",
        "members_to": "0",
        "on": "2025-07-01",
        "document_number": "88/QĐ-LĐLĐ",
        "document_date": "2025-06-25",
        "reason": "",
        **extra,
    }


def test_split_screen_form_preview_confirm(client, tree, make_user):
    client.force_login(make_user(Role.OFFICER, tree.md))
    url = reverse("organizations:split", args=[tree.ubnd.pk])
    page = client.get(reverse("organizations:detail", args=[tree.ubnd.pk])).content.decode()
    assert url in page and "Chia tách đơn vị" in page
    form = client.get(url)
    assert form.status_code == 200 and "Đơn vị mới thứ 2" in form.content.decode()
    assert "Đơn vị mới thứ 3" not in form.content.decode()

    more = client.post(url, _split_post(tree, them_phan="1"))
    html = more.content.decode()
    assert "Đơn vị mới thứ 3" in html and "MD-VP" in html and not more.context["form"].is_bound
    fewer = client.post(url, _split_post(tree, so_phan="3", bot_phan="1"))
    assert "Tên đơn vị mới thứ 3" not in fewer.content.decode()

    preview = client.post(url, _split_post(tree))
    html = preview.content.decode()
    assert "Xác nhận chia tách" in html
    assert (
        "Chuyển “Tổ công đoàn Phòng Tài chính - Kế hoạch” sang trực thuộc “Công đoàn Phòng Tài chính huyện Mỹ Đức”"
        in html
    )
    assert (
        "Chuyển sinh hoạt của đoàn viên Đặng Đức Thắng sang “Công đoàn Văn phòng HĐND-UBND huyện Mỹ Đức”"
        in html
    )
    assert fresh(tree.ubnd).valid_to is None

    back = client.post(url, _split_post(tree, sua="1"))
    assert back.context["form"]["part2_code"].value() == "MD-TC"

    done = client.post(url, _split_post(tree, xac_nhan="1"), follow=True)
    assert done.redirect_chain[-1][0] == reverse("organizations:detail", args=[tree.md.pk])
    assert "Đã chia tách “Công đoàn Ủy ban nhân dân huyện Mỹ Đức” thành 2 đơn vị" in done.content.decode()
    assert fresh(tree.ubnd).valid_to == JUNE_30
    old = client.get(reverse("organizations:detail", args=[tree.ubnd.pk])).content.decode()
    assert "Đã chia tách thành" in old and "Công đoàn Phòng Tài chính huyện Mỹ Đức" in old
    group = client.get(reverse("organizations:detail", args=[tree.t2.pk])).content.decode()
    assert "Trực thuộc" in group and "đến 30/06/2025" in group and "88/QĐ-LĐLĐ" in group


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"part2_name": ""}, "part2_name", "Nhập tên đơn vị mới thứ 2."),
        ({"part2_code": "MD-VP"}, "part2_code", "trùng với mã của đơn vị mới thứ 1"),
        ({"part1_code": "HN"}, "part1_code", "đã được dùng"),
        ({"child_T2": ""}, "child_T2", "Chọn đơn vị mới nhận “Tổ công đoàn Phòng Tài chính - Kế hoạch”."),
        ({"members_to": ""}, "members_to", "Chọn đơn vị mới nhận đoàn viên"),
        ({"document_number": ""}, "document_number", "Nhập số văn bản quyết định."),
        ({"on": ""}, "on", "Nhập chia tách từ ngày."),
    ],
)
def test_split_screen_errors_name_the_field(client, tree, make_user, extra, field, message):
    extra = {k.replace("T2", str(tree.t2.pk)): v for k, v in extra.items()}
    field = field.replace("T2", str(tree.t2.pk))
    client.force_login(make_user(Role.OFFICER, tree.md))
    response = client.post(reverse("organizations:split", args=[tree.ubnd.pk]), _split_post(tree, **extra))
    assert response.status_code == 200 and "Xác nhận chia tách" not in response.content.decode()
    assert any(message in error for error in response.context["form"].errors[field])
    assert fresh(tree.ubnd).valid_to is None


def test_split_screen_permissions(client, tree, make_user):
    url = reverse("organizations:split", args=[tree.ubnd.pk])
    client.force_login(make_user(Role.OFFICER, tree.ubnd))  # its own officer: not the level above
    assert client.get(url).status_code == 403
    assert client.post(url, _split_post(tree, xac_nhan="1")).status_code == 403
    assert (
        "Chia tách đơn vị"
        not in client.get(reverse("organizations:detail", args=[tree.ubnd.pk])).content.decode()
    )
    client.force_login(make_user(Role.OFFICER, tree.hbt))
    assert client.get(url).status_code == 404
    assert fresh(tree.ubnd).valid_to is None


def test_move_screen_takes_the_date_and_the_document(client, tree, make_user):
    client.force_login(make_user(Role.OFFICER, tree.hn))
    url = reverse("organizations:move", args=[tree.ubnd.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Từ ngày" in form.content.decode()
    bad = client.post(url, {"new_parent": "", "on": "30/02/2025", "document_date": "2025-06-20"})
    errors = bad.context["form"].errors
    assert errors["on"] == ["Từ ngày không hợp lệ (ngày/tháng/năm)."]
    assert errors["new_parent"] == ["Chọn đơn vị chuyển về trực thuộc."]
    assert errors["document_number"] == ["Nhập số văn bản quyết định kèm ngày văn bản."]
    assert not UnitPlacement.objects.exists()
    done = client.post(
        url,
        {
            "new_parent": tree.hbt.pk,
            "on": "2025-07-01",
            "document_number": "12/QĐ-LĐLĐ",
            "document_date": "2025-06-20",
            "reason": "Sắp xếp",
        },
    )
    assert done.status_code == 302
    placement = UnitPlacement.objects.get(unit=tree.ubnd)
    assert placement.parent == tree.md and placement.valid_to == JUNE_30
    assert placement.document_number == "12/QĐ-LĐLĐ" and placement.document_date == dt.date(2025, 6, 20)
    page = client.get(reverse("organizations:detail", args=[tree.ubnd.pk])).content.decode()
    assert "Quá trình hình thành" in page and "văn bản số 12/QĐ-LĐLĐ ngày 20/06/2025" in page


def test_no_lineage_no_section(client, tree, make_user):
    client.force_login(make_user(Role.OFFICER, tree.hn))
    assert (
        "Quá trình hình thành"
        not in client.get(reverse("organizations:detail", args=[tree.md.pk])).content.decode()
    )
