"""Award and nomination figures: providers against direct queries, levels, sectors, the statistical form
(Biểu số 02/TĐKT) read back with calamine, the news draft and the summary."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from python_calamine import CalamineWorkbook

from commendations.metrics import LEVELS, award_level, level_key, type_key
from commendations.models import AwardRecord, AwardType
from commendations.reference import ensure_catalogue
from core.metrics import labels as metric_labels
from nominations.models import Dossier, NominationItem
from organizations.models import OrgUnit, Sector
from reports import dashboard as dash
from reports.models import UnitCounter
from reports.selectors import rollup, rollup_children
from reports.services import counters_rebuild
from reports.summary import award_phrase, news_draft

YEAR = 2024


def _award(code, *, issuer, person=None, unit=None, scope=None, year=YEAR, number="1/QĐ", status="VALID"):
    return AwardRecord.objects.create(
        person=person,
        unit=unit,
        scope_unit=scope or unit,
        award_type=AwardType.objects.get(code=code),
        year=year,
        decision_number=number,
        decision_date=dt.date(year + 1, 1, 10),
        issuing_unit=issuer,
        status=status,
    )


@pytest.fixture
def awards(tree):
    ensure_catalogue()
    t = tree
    _award("GK", issuer=t.md, unit=t.ubnd)  # collective, district level
    _award("TTLDTT", issuer=t.md, unit=t.t1)  # collective of a union group
    _award("GK", issuer=t.md, person=t.hoa, scope=t.t2)  # woman, district
    _award("BK_LDLD", issuer=t.hn, person=t.an, scope=t.t1)  # man, city level
    _award("BK_TTG", issuer=t.vn, person=t.chu_tich, scope=t.ubnd)  # conferred by the State
    _award("BK_TLD", issuer=t.vn, unit=t.mk)  # collective, Tổng Liên đoàn
    _award("GK", issuer=t.mk, person=t.minh_khai, scope=t.mk)  # woman, grassroots level
    _award("LDTT", issuer=t.md, person=t.hoa, scope=t.t2, number="2/QĐ", status="REVOKED")  # left out
    _award("GK", issuer=t.md, person=t.an, scope=t.t1, year=YEAR - 1)  # another year
    _award("GK", issuer=t.nb, unit=t.yk_ubnd)
    counters_rebuild(year=YEAR)
    counters_rebuild(year=YEAR - 1)
    return t


def _direct(unit: OrgUnit, year=YEAR) -> dict[str, int]:
    qs = AwardRecord.objects.filter(year=year, status="VALID", scope_unit__path__startswith=unit.path)
    return {
        "aw_tt": qs.filter(unit__isnull=False).count(),
        "aw_cn": qs.filter(person__isnull=False).count(),
        "aw_nu": qs.filter(person__gender="F").count(),
    }


def test_award_providers_match_direct_queries(awards):
    for unit in awards.units.values():
        figures = rollup(unit=unit, year=YEAR, metrics=["aw_tt", "aw_cn", "aw_nu"])
        assert figures == _direct(unit), unit.code
    assert rollup(unit=awards.vn, year=YEAR)["aw_cn"] == 4  # the revoked award is not counted
    assert rollup(unit=awards.vn, year=YEAR)["aw_nu"] == 2
    assert rollup(unit=awards.vn, year=YEAR - 1)["aw_cn"] == 1
    # an award counts for its scope unit only: the collective itself, the member's unit
    own = dict(UnitCounter.objects.filter(unit=awards.t1, year=YEAR).values_list("metric", "value"))
    assert own["aw_tt"] == 1 and own["aw_cn"] == 1


def test_award_levels(awards):
    vn = rollup(unit=awards.vn, year=YEAR)
    assert {lv: (vn[level_key(lv, "tt")], vn[level_key(lv, "cn")]) for lv, _, _ in LEVELS} == {
        "NN": (0, 1),
        "TLD": (1, 0),
        "TINH": (1, 1),
        "HUYEN": (2, 1),
        "CDCS": (0, 1),
    }
    assert vn[type_key("HUYEN", "GK", "tt")] == 1 and vn[type_key("HUYEN", "GK", "nu")] == 1
    assert vn[type_key("CDCS", "GK", "nu")] == 1
    assert award_level(by_state=False, issuer_type="CD_NGANH") == "TINH"
    assert award_level(by_state=True, issuer_type="CDCS") == "NN"
    assert award_level(by_state=False, issuer_type="NEW", issuer_rank=30) == "HUYEN"


def test_every_metric_has_a_label_and_fits_the_column(awards):
    metrics = set(UnitCounter.objects.values_list("metric", flat=True))
    assert {m for m in metrics if m.startswith(("aw", "nom"))}
    labels = metric_labels()
    assert all(m in labels for m in metrics), metrics - set(labels)
    assert all(len(m) <= 32 for m in labels)


def test_federation_figure_is_the_sum_of_its_children(awards):
    for unit in (awards.vn, awards.hn, awards.md):
        unit = OrgUnit.objects.get(pk=unit.pk)
        total = rollup(unit=unit, year=YEAR)
        children, own = rollup_children(unit=unit, year=YEAR)
        for metric in [m for m in total if m.startswith("aw")]:
            assert total[metric] == own.get(metric, 0) + sum(f.get(metric, 0) for _, f in children)


def test_nominations_by_proposing_unit(tree):
    ensure_catalogue()
    gk = AwardType.objects.get(code="GK")
    now = timezone.now()

    def dossier(state, submitted=True, unit=tree.ubnd, year=YEAR):
        return Dossier.objects.create(
            proposing_unit=unit,
            kind="YEARLY",
            year=year,
            title="Đề nghị",
            state=state,
            submitted_at=now if submitted else None,
        )

    decided = dossier("DECIDED")
    for nominee, status in ((tree.an, "ACCEPTED"), (tree.hoa, "REJECTED")):
        NominationItem.objects.create(
            dossier=decided, person=nominee, award_type=gk, achievement_summary="x", status=status
        )
    NominationItem.objects.create(
        dossier=decided, unit=tree.t1, award_type=gk, achievement_summary="x", status="ACCEPTED"
    )
    review = dossier("IN_REVIEW", unit=tree.md)
    NominationItem.objects.create(dossier=review, unit=tree.ubnd, award_type=gk, achievement_summary="x")
    for state, submitted in (("DRAFT", False), ("RECALLED", True)):
        NominationItem.objects.create(
            dossier=dossier(state, submitted), person=tree.chu_tich, award_type=gk, achievement_summary="x"
        )
    counters_rebuild(year=YEAR)
    figures = rollup(unit=tree.hn, year=YEAR)
    counted = Dossier.objects.filter(year=YEAR, submitted_at__isnull=False).exclude(
        state__in=["DRAFT", "RECALLED"]
    )
    items = NominationItem.objects.filter(dossier__in=counted)
    assert figures["nom_dossiers"] == counted.count() == 2
    assert figures["nom_cn"] == items.filter(person__isnull=False).count() == 2
    assert figures["nom_tt"] == items.filter(unit__isnull=False).count() == 2
    assert figures["nom_ok_cn"] == items.filter(person__isnull=False, status="ACCEPTED").count() == 1
    assert figures["nom_ok_tt"] == 1
    ubnd = dict(UnitCounter.objects.filter(unit=tree.ubnd, year=YEAR).values_list("metric", "value"))
    assert ubnd["nom_dossiers"] == 1 and ubnd["nom_cn"] == 2  # counted for the proposing unit


def test_tables_by_type_level_and_sector(awards):
    hcsn = Sector.objects.get_or_create(code="HCSN", defaults={"name": "Hành chính sự nghiệp"})[0]
    OrgUnit.objects.filter(path__startswith=awards.ubnd.path).update(sector=hcsn)
    data = dash.build(unit=OrgUnit.objects.get(pk=awards.hn.pk), year=YEAR)
    by_type = {row[0]: row[1:] for row in data["tables"]["khen-thuong-hinh-thuc"].rows}
    assert by_type["Giấy khen"] == [1, 2, 2]  # ubnd; hoa (F), Minh Khai (F)
    assert by_type["Bằng khen của Thủ tướng Chính phủ"] == [0, 1, 0]
    levels = {row[0]: row[1:] for row in data["tables"]["khen-thuong-cap"].rows}
    assert levels["Nhà nước"] == [0, 1, 0] and levels["Công đoàn cơ sở"] == [0, 1, 1]
    sectors = {row[0]: row[1:] for row in data["tables"]["khen-thuong-khoi"].rows}
    in_hcsn = AwardRecord.objects.filter(
        year=YEAR, status="VALID", scope_unit__sector=hcsn, scope_unit__path__startswith=awards.hn.path
    )
    assert sectors["Hành chính sự nghiệp"] == [
        in_hcsn.filter(unit__isnull=False).count(),
        in_hcsn.filter(person__isnull=False).count(),
        in_hcsn.filter(person__gender="F").count(),
    ]
    assert sectors[dash.NO_SECTOR] == [1, 1, 1]  # Minh Khai has no sector
    assert data["tables"]["khen-thuong-khoi"].footer[1:] == list(_direct(awards.hn).values())
    summary = {row[0]: row[1:] for row in data["tables"]["tong-hop"].rows}
    assert summary["Cá nhân được khen thưởng"][:2] == [1, 4]  # year over year
    summary_md = {row[0]: row[1:] for row in dash.build(unit=awards.md, year=YEAR)["table_summary"].rows}
    assert summary_md["Cá nhân được khen thưởng"][:3] == [1, 3, 2]


def test_award_tables_export_to_xlsx(officer_client, awards):
    for key in ("khen-thuong-hinh-thuc", "khen-thuong-cap", "khen-thuong-khoi", "de-nghi"):
        response = officer_client.get(f"/bao-cao/don-vi/{awards.md.pk}/xuat/{key}.xlsx?nam=2024")
        assert response.status_code == 200, key
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        assert rows[0][0] == "Liên đoàn Lao động huyện Mỹ Đức"
    rows = (
        CalamineWorkbook.from_filelike(
            io.BytesIO(
                officer_client.get(f"/bao-cao/don-vi/{awards.md.pk}/xuat/khen-thuong-cap.xlsx").content
            )
        )
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[3] == ["Cấp khen thưởng", "Tập thể", "Cá nhân", "Trong đó nữ"]
    assert next(r for r in rows if r[0] == "Tổng cộng")[1:] == list(_direct(awards.md).values())


def _form(client, unit, year=YEAR):
    response = client.get(f"/bao-cao/don-vi/{unit.pk}/bieu-khen-thuong.xlsx?nam={year}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'bieu-02-tdkt-{unit.code}-{year}.xlsx"')
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_ministry_form_matches_direct_queries(officer_client, awards):
    rows = _form(officer_client, awards.md)
    cells = [c for row in rows for c in row if c != ""]
    assert rows[0][0] == "Biểu số 02/TĐKT"
    assert "Đơn vị báo cáo: Liên đoàn Lao động huyện Mỹ Đức" in cells
    assert "Đơn vị nhận báo cáo: Liên đoàn Lao động thành phố Hà Nội" in cells
    assert "SỐ LƯỢNG KHEN THƯỞNG" in cells and "Kỳ báo cáo: năm 2024" in cells
    header = next(r for r in rows if r[0] == "STT")
    assert header[1:3] == ["Hình thức khen thưởng", "Tổng số"] and header[6] == "Ghi chú"
    assert next(r for r in rows if r[3] == "Tập thể")[3:5] == ["Tập thể", "Cá nhân"]
    assert "Trong đó: nữ" in header
    direct = _direct(awards.md)
    total = next(r for r in rows if r[1] == "Tổng số" and r[0] == "")
    assert total[2:6] == [
        direct["aw_tt"] + direct["aw_cn"],
        direct["aw_tt"],
        direct["aw_cn"],
        direct["aw_nu"],
    ]
    groups = {r[0]: r for r in rows if r[0] in ("I", "II", "III", "IV", "V")}
    assert groups["I"][1] == "Khen thưởng cấp Nhà nước"
    assert groups["IV"][1] == "Khen thưởng của LĐLĐ quận, huyện, công đoàn cấp trên trực tiếp cơ sở"
    district = AwardRecord.objects.filter(
        year=YEAR, status="VALID", scope_unit__path__startswith=awards.md.path, issuing_unit=awards.md
    )
    assert groups["IV"][3:6] == [
        district.filter(unit__isnull=False).count(),
        district.filter(person__isnull=False).count(),
        district.filter(person__gender="F").count(),
    ]
    assert groups["I"][3:5] == [0, 1]  # Bằng khen của Thủ tướng Chính phủ to the chairman
    assert sum(groups[g][2] for g in groups) == total[2]
    # the lines of a level: its forms of commendation, subtotals equal to the sum of the lines
    start = rows.index(groups["IV"])
    lines = []
    for r in rows[start + 1 :]:
        if r[0] in ("V", ""):
            break
        lines.append(r)
    assert [r[1] for r in lines if r[1] == "Giấy khen"] == ["Giấy khen"]
    giay_khen = next(r for r in lines if r[1] == "Giấy khen")
    assert giay_khen[3:6] == [1, 1, 1]
    ldtt = next(r for r in lines if r[1] == "Lao động tiên tiến")
    assert ldtt[3] == "x" and ldtt[4] == 0  # the revoked one is not counted
    assert sum(r[3] for r in lines if not isinstance(r[3], str)) == groups["IV"][3]
    assert "Người lập biểu" in cells and "Thủ trưởng đơn vị" in cells
    assert any(str(c).startswith("Mỹ Đức, ngày ") for c in cells) or any(", ngày " in str(c) for c in cells)


def test_ministry_form_outside_the_subtree_is_404(client, officer_client, awards, make_user):
    assert officer_client.get(f"/bao-cao/don-vi/{awards.mk.pk}/bieu-khen-thuong.xlsx").status_code == 404
    assert officer_client.get(f"/bao-cao/don-vi/{awards.hn.pk}/bieu-khen-thuong.xlsx").status_code == 404
    client.force_login(make_user())
    assert client.get(f"/bao-cao/don-vi/{awards.md.pk}/bieu-khen-thuong.xlsx").status_code == 403


def test_dashboard_links_the_form_and_draws_the_award_chart(officer_client, awards):
    html = officer_client.get(f"/bao-cao/don-vi/{awards.md.pk}/?nam=2024").content.decode()
    assert "Biểu thống kê khen thưởng (.xlsx)" in html and 'id="chart-awards"' in html
    for title in ("Khen thưởng theo hình thức", "Khen thưởng theo cấp", "Khen thưởng theo khối"):
        assert title in html
    assert "Đề nghị khen thưởng năm 2024" in html


def test_dashboard_query_count_does_not_grow_with_awards_and_units(officer_client, awards):
    from conftest import add_person, add_unit

    def count() -> int:
        officer_client.get(f"/bao-cao/don-vi/{awards.md.pk}/?nam=2024")  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(f"/bao-cao/don-vi/{awards.md.pk}/?nam=2024").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    ubnd = OrgUnit.objects.get(pk=awards.ubnd.pk)
    for i in range(12):
        unit = add_unit(ubnd, f"AW{i}", f"Tổ công đoàn khen thưởng {i}", "TO_CD")
        person = add_person(unit, f"Đỗ Thị Khen{i}")
        _award("GK", issuer=awards.md, unit=unit, number=f"{i}/QĐ")
        _award("BK_LDLD", issuer=awards.hn, person=person, scope=unit, number=f"{i}/QĐ")
    counters_rebuild(year=YEAR)
    assert count() == before <= 14


def test_award_phrase_keeps_vietnamese_grammar_when_a_figure_is_zero():
    assert award_phrase(45, 22) == "45 tập thể và 22 cá nhân"
    assert award_phrase(3, 0) == "3 tập thể"
    assert award_phrase(0, 1) == "1 cá nhân"
    assert award_phrase(0, 0) == ""
    assert award_phrase(1250, 0) == "1.250 tập thể"


def test_news_draft_names_awards_only_when_there_are_some(tree):
    counters_rebuild(year=YEAR)
    assert "trao thưởng" not in news_draft(unit=tree.md, year=YEAR)
    ensure_catalogue()
    _award("GK", issuer=tree.md, person=tree.hoa, scope=tree.t2)
    counters_rebuild(year=YEAR)
    text = news_draft(unit=OrgUnit.objects.get(pk=tree.md.pk), year=YEAR)
    assert "LĐLĐ huyện Mỹ Đức trao thưởng cho 1 cá nhân đã được LĐLĐ huyện Mỹ Đức khen thưởng" in text
    assert "0 tập thể" not in text


def test_demo_awards_are_idempotent(tree):
    from reports.demo import build_demo_awards

    ensure_catalogue()
    added = build_demo_awards(year=YEAR)
    assert added > 0
    assert build_demo_awards(year=YEAR) == 0
    assert AwardRecord.objects.filter(year=YEAR).count() == added
