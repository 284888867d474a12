"""A member's own page, "Trang của tôi" (`/cua-toi/`, issue 13): their membership, registrations with
title names, ratings by year, awards with decisions (a revoked one with its reason), the certificate of
a valid award to download, initiatives, submitted dossiers naming them; never anyone else's data; the
empty state of an account without a member record; the menu link and the home-page card; a bounded
number of queries."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from commendations.models import AwardRecord, AwardType
from documents.home import my_award_tasks
from documents.selectors_me import my_page
from initiatives.models import Initiative, InitiativeAuthor
from movements import services as movement_services
from nominations.models import Dossier, NominationItem
from nominations.services import award_revoke
from organizations.tasks_panel import HomePage

URL = "/cua-toi/"


def _movement(officer, organiser, name, year):
    movement = movement_services.movement_create(
        acting_user=officer,
        organiser=organiser,
        name=name,
        kind="YEARLY",
        year=year,
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
        targets=[{"name": "Tỷ lệ đăng ký", "unit_of_measure": "%", "target_value": 100}],
    )
    movement_services.movement_launch(acting_user=officer, movement=movement)
    return movement


def _award(person, unit, issuer, *, code="GK", year=2024, number="15/QĐ-LĐLĐ", date=dt.date(2024, 12, 20)):
    return AwardRecord.objects.create(
        person=person,
        scope_unit=unit,
        award_type=AwardType.objects.get(code=code),
        year=year,
        decision_number=number,
        decision_date=date,
        issuing_unit=issuer,
        achievement_summary="đã có thành tích xuất sắc trong phong trào thi đua",
    )


def _dossier(tree, person, *, state, title):
    dossier = Dossier.objects.create(
        proposing_unit=tree.ubnd,
        authority=tree.md,
        current_level=tree.md,
        kind="YEARLY",
        year=2025,
        title=title,
        state=state,
    )
    NominationItem.objects.create(
        dossier=dossier,
        person=person,
        award_type=AwardType.objects.get(code="CSTDCS"),
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2025",
    )
    return dossier


@pytest.fixture
def member_data(tree, make_user):
    """Nguyễn Văn An (Tổ công đoàn Phòng Nội vụ) with registrations in 2024 and 2025, ratings in both
    years, a valid Giấy khen and a revoked one, an initiative, a submitted and a draft dossier; Trần Thị
    Hoa (another tổ) with her own records, which An must never see."""
    officer = make_user(Role.OFFICER, tree.md)
    city = make_user(Role.OFFICER, tree.hn)
    admin = make_user(Role.ADMIN, tree.md)
    member = make_user(Role.MEMBER, tree.t1, include_subtree=False, person=tree.an)
    m2024 = _movement(officer, tree.md, "Thi đua lao động giỏi năm 2024", 2024)
    m2025 = _movement(city, tree.hn, "Thi đua chuyển đổi số năm 2025", 2025)
    movement_services.registration_register_bulk(
        acting_user=officer, movement=m2024, persons=[tree.an], titles=["LDTT"]
    )
    movement_services.registration_register_bulk(
        acting_user=officer, movement=m2025, persons=[tree.an], titles=["CSTDCS", "GVNDVN"]
    )
    hoa_movement = _movement(officer, tree.md, "Phong trào riêng của tổ Tài chính", 2025)
    movement_services.registration_register_bulk(
        acting_user=officer, movement=hoa_movement, persons=[tree.hoa], titles=["LDTT"]
    )
    for year, rating in ((2024, "HTT"), (2025, "HTXS")):
        movement_services.evaluation_save_grid(
            acting_user=officer,
            unit=tree.ubnd,
            year=year,
            rows=[
                {"person_id": tree.an.pk, "rating": rating, "months_worked": 12},
                {"person_id": tree.hoa.pk, "rating": "KHT", "months_worked": 12},
            ],
        )
    valid = _award(tree.an, tree.t1, tree.md)
    revoked = _award(tree.an, tree.t1, tree.md, code="CSTDCS", year=2023, number="07/QĐ-LĐLĐ")
    award_revoke(
        acting_user=admin,
        record=revoked,
        reason="Thành tích kê khai không đúng sự thật",
        decision_ref="21/QĐ-LĐLĐ",
        revoked_on=dt.date(2025, 3, 2),
    )
    hoa_award = _award(tree.hoa, tree.t2, tree.md, number="99/QĐ-LĐLĐ")
    initiative = Initiative.objects.create(
        title="Số hóa hồ sơ một cửa của Phòng Nội vụ",
        unit=tree.ubnd,
        year=2025,
        status="RECOGNIZED",
        recognition_level="CO_SO",
        recognized_on=dt.date(2025, 11, 5),
        decision_ref="30/QĐ-CĐCS",
        decision_unit=tree.ubnd,
    )
    InitiativeAuthor.objects.create(initiative=initiative, person=tree.an, share_percent=Decimal("60"))
    hoa_initiative = Initiative.objects.create(
        title="Sáng kiến riêng của Trần Thị Hoa", unit=tree.ubnd, year=2025, status="SUBMITTED"
    )
    InitiativeAuthor.objects.create(initiative=hoa_initiative, person=tree.hoa, share_percent=Decimal("100"))
    submitted = _dossier(
        tree, tree.an, state="IN_REVIEW", title="Đề nghị tặng danh hiệu Chiến sĩ thi đua cơ sở"
    )
    _dossier(tree, tree.an, state="DRAFT", title="Hồ sơ nháp chưa gửi")
    _dossier(tree, tree.hoa, state="IN_REVIEW", title="Hồ sơ đề nghị của Trần Thị Hoa")
    return {
        "member": member,
        "valid": valid,
        "revoked": revoked,
        "hoa_award": hoa_award,
        "submitted": submitted,
        "officer": officer,
    }


def test_selector_gathers_the_members_own_records_only(tree, member_data):
    page = my_page(user=member_data["member"])
    assert page.person == tree.an
    assert page.membership.unit == tree.t1 and page.grassroots == tree.ubnd
    assert [year for year, _ in page.registrations] == [2025, 2024]
    rows_2025 = page.registrations[0][1]
    assert [r["movement"].name for r in rows_2025] == ["Thi đua chuyển đổi số năm 2025"]
    assert rows_2025[0]["titles"] == ["Chiến sĩ thi đua cơ sở", "Giỏi việc nước, đảm việc nhà"]
    assert [(e.year, e.rating) for e in page.evaluations] == [(2025, "HTXS"), (2024, "HTT")]
    assert [r.pk for r in page.awards] == [member_data["valid"].pk, member_data["revoked"].pk]
    assert page.valid_awards == 1
    assert [a.initiative.title for a in page.initiatives] == ["Số hóa hồ sơ một cửa của Phòng Nội vụ"]
    assert [i.dossier_id for i in page.nominations] == [member_data["submitted"].pk]


def test_member_sees_everything_with_names_and_never_codes(client, tree, member_data):
    client.force_login(member_data["member"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # membership
    assert "Tổ công đoàn Phòng Nội vụ" in html and "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in html
    assert "01/01/2020" in html
    # registrations by year, with movement and title names
    assert "Năm 2025" in html and "Năm 2024" in html
    assert "Thi đua chuyển đổi số năm 2025" in html and "Thi đua lao động giỏi năm 2024" in html
    assert "Chiến sĩ thi đua cơ sở; Giỏi việc nước, đảm việc nhà" in html
    assert "Lao động tiên tiến" in html
    # ratings in two years
    assert "Hoàn thành xuất sắc nhiệm vụ" in html and "Hoàn thành tốt nhiệm vụ" in html
    # the valid award with its decision and issuer, and the revoked one with its reason
    assert "Giấy khen năm 2024" in html
    assert "Quyết định số 15/QĐ-LĐLĐ ngày 20/12/2024" in html
    assert "Liên đoàn Lao động huyện Mỹ Đức" in html
    assert "Đã thu hồi" in html and "Thành tích kê khai không đúng sự thật" in html
    assert "ngày 02/03/2025" in html and "theo 21/QĐ-LĐLĐ" in html
    # a certificate link for the valid award only
    assert f"/van-ban/khen-thuong/{member_data['valid'].pk}/giay-khen.pdf" in html
    assert f"/van-ban/khen-thuong/{member_data['revoked'].pk}/giay-khen.pdf" not in html
    # the initiative with its recognition, the submitted dossier (not the draft)
    assert "Số hóa hồ sơ một cửa của Phòng Nội vụ" in html and "Cấp cơ sở" in html
    assert "quyết định số 30/QĐ-CĐCS" in html and "đóng góp 60%" in html
    assert "Đề nghị tặng danh hiệu Chiến sĩ thi đua cơ sở" in html
    assert member_data["submitted"].get_absolute_url() in html
    assert "Hồ sơ nháp chưa gửi" not in html
    # no internal codes on the screen
    for code in (
        "LDTT",
        "CSTDCS",
        "GVNDVN",
        "HTXS",
        "HTT",
        "REVOKED",
        "VALID",
        "RECOGNIZED",
        "IN_REVIEW",
        "CO_SO",
    ):
        assert f">{code}<" not in html and f" {code} " not in html and f": {code}" not in html
    # the menu link
    assert 'href="/cua-toi/"' in html


def test_another_members_data_never_appears(client, tree, member_data):
    client.force_login(member_data["member"])
    html = client.get(URL).content.decode()
    assert "Trần Thị Hoa" not in html
    assert "Phong trào riêng của tổ Tài chính" not in html
    assert "99/QĐ-LĐLĐ" not in html
    assert "Không hoàn thành nhiệm vụ" not in html
    assert "Sáng kiến riêng của Trần Thị Hoa" not in html
    assert "Hồ sơ đề nghị của Trần Thị Hoa" not in html


def test_the_certificate_link_downloads_a_pdf_of_the_members_own_award(client, tree, member_data):
    client.force_login(member_data["member"])
    response = client.get(f"/van-ban/khen-thuong/{member_data['valid'].pk}/giay-khen.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    # a revoked award prints nothing; another member's award stays closed (no printing right: 403)
    assert client.get(f"/van-ban/khen-thuong/{member_data['revoked'].pk}/giay-khen.pdf").status_code == 404
    assert client.get(f"/van-ban/khen-thuong/{member_data['hoa_award'].pk}/giay-khen.pdf").status_code == 403


def test_a_member_officer_elsewhere_cannot_print_another_members_award(client, tree, make_user):
    """Holding the printing right only outside the record's issuer, and not being its person: 404."""
    hoa_award = _award(tree.hoa, tree.t2, tree.md, number="99/QĐ-LĐLĐ")
    other = make_user(Role.OFFICER, tree.yk, person=tree.yen_khanh)
    client.force_login(other)
    assert client.get(f"/van-ban/khen-thuong/{hoa_award.pk}/giay-khen.pdf").status_code == 404


def test_a_user_without_a_member_record_gets_the_empty_state(client, tree, make_user):
    client.force_login(make_user(Role.OFFICER, tree.md))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tài khoản của bạn chưa được gắn với hồ sơ đoàn viên nào." in html
    assert "cán bộ công đoàn cơ sở nơi bạn sinh hoạt" in html
    assert 'href="/cua-toi/"' not in html  # no menu link for an unlinked account
    assert "Khen thưởng của tôi" not in html


def test_a_member_with_nothing_yet_sees_each_sections_empty_state(client, tree, make_user):
    client.force_login(make_user(Role.MEMBER, tree.t2, include_subtree=False, person=tree.hoa))
    html = client.get(URL).content.decode()
    for text in (
        "Chưa có kết quả xếp loại nào.",
        "Bạn chưa có khen thưởng nào được ghi sổ.",
        "Bạn chưa đăng ký thi đua trong phong trào nào.",
        "Bạn chưa là tác giả của sáng kiến nào.",
        "Chưa có hồ sơ đề nghị khen thưởng nào có tên bạn được gửi lên cấp trên.",
    ):
        assert text in html
    assert "Tổ công đoàn Phòng Tài chính - Kế hoạch" in html


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_home_card_lists_the_valid_awards(client, tree, member_data):
    cards = my_award_tasks(HomePage(user=member_data["member"], today=dt.date(2026, 1, 10)))
    assert len(cards) == 1 and cards[0].count == 1
    assert cards[0].url == "/cua-toi/#khen-thuong-cua-toi"
    assert cards[0].items == (("Giấy khen năm 2024", "/cua-toi/#khen-thuong-cua-toi"),)
    assert my_award_tasks(HomePage(user=member_data["officer"], today=dt.date(2026, 1, 10))) == []
    client.force_login(member_data["member"])
    html = client.get("/").content.decode()
    assert "Khen thưởng của bạn" in html and 'href="/cua-toi/#khen-thuong-cua-toi"' in html


def test_query_count_does_not_grow_with_the_awards(client, tree, make_user, django_assert_num_queries):
    member = make_user(Role.MEMBER, tree.t1, include_subtree=False, person=tree.an)
    client.force_login(member)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    _award(tree.an, tree.t1, tree.md, year=2010, number="1/QĐ-LĐLĐ")
    one = count_queries()
    for n in range(2, 11):
        _award(tree.an, tree.t1, tree.md, year=2010 + n, number=f"{n}/QĐ-LĐLĐ")
    ten = count_queries()
    assert one == ten
    assert one <= 20, f"{one} queries"
    with django_assert_num_queries(9):  # the person, membership, ancestors, scopes, 5 sections
        page = my_page(user=member)
    assert len(page.awards) == 10


def test_the_download_button_names_the_blank_it_prints_on(client, tree, make_user):
    client.force_login(make_user(Role.MEMBER, tree.t1, include_subtree=False, person=tree.an))
    _award(tree.an, tree.t1, tree.hn, code="BK_LDLD", number="3/QĐ-LĐLĐ")
    html = client.get(URL).content.decode()
    assert "Tải bằng khen (PDF)" in html and "Tải giấy khen (PDF)" not in html
    _award(tree.an, tree.t1, tree.md)
    assert "Tải giấy khen (PDF)" in client.get(URL).content.decode()
