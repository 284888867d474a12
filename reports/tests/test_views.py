"""Dashboard, exports, year-end summary and news draft."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from docx import Document
from python_calamine import CalamineWorkbook

from commendations.models import AwardRecord
from conftest import add_person, add_unit
from initiatives.models import Initiative
from members.models import Membership
from movements.models import Evaluation, Registration
from organizations.models import OrgUnit
from reports.dashboard import vn_int
from reports.services import counters_rebuild


@pytest.fixture
def built(tree):
    counters_rebuild(year=2024)
    counters_rebuild(year=2023)
    return tree


def test_dashboard_shows_rollup_and_chart_data(officer_client, built):
    response = officer_client.get(f"/bao-cao/don-vi/{built.md.pk}/?nam=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-data"' in html and 'id="chart-children"' in html and 'id="chart-ratings"' in html
    assert "<script>" not in html.replace('<script src="', "")  # no inline script (CSP)
    assert response.context["now"]["members"] == 3
    assert "Công đoàn Ủy ban nhân dân huyện Mỹ Đức" in html


def test_dashboard_outside_scope_is_404_and_without_right_403(client, officer_client, built, make_user):
    assert officer_client.get(f"/bao-cao/don-vi/{built.mk.pk}/?nam=2024").status_code == 404
    assert officer_client.get(f"/bao-cao/don-vi/{built.mk.pk}/xuat/don-vi.xlsx?nam=2024").status_code == 404
    client.force_login(make_user())
    assert client.get(f"/bao-cao/don-vi/{built.md.pk}/").status_code == 403


@pytest.mark.parametrize("extra_units", [0, 15])
def test_dashboard_query_count_is_bounded(officer_client, built, extra_units):
    for i in range(extra_units):
        unit = add_unit(OrgUnit.objects.get(pk=built.ubnd.pk), f"EXTRA{i}", f"Tổ công đoàn thêm {i}", "TO_CD")
        add_person(unit, f"Vũ Thị Thêm{i}")
    counters_rebuild(year=2024)
    officer_client.get(f"/bao-cao/don-vi/{built.ubnd.pk}/?nam=2024")  # warm the session, caches
    with CaptureQueriesContext(connection) as ctx:
        assert officer_client.get(f"/bao-cao/don-vi/{built.ubnd.pk}/?nam=2024").status_code == 200
    assert len(ctx.captured_queries) <= 16, [q["sql"][:120] for q in ctx.captured_queries]


def test_export_xlsx_has_vietnamese_headers_and_figures(officer_client, built):
    response = officer_client.get(f"/bao-cao/don-vi/{built.md.pk}/xuat/don-vi.xlsx?nam=2024")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Liên đoàn Lao động huyện Mỹ Đức"
    assert rows[3][:3] == ["Đơn vị", "Đoàn viên", "Nữ"]
    body = {r[0]: r for r in rows[4:]}
    assert body["Công đoàn Ủy ban nhân dân huyện Mỹ Đức"][1] == 3
    assert body["Tổng cộng"][1] == 3
    for key in ("tong-hop", "xep-loai"):
        assert (
            officer_client.get(f"/bao-cao/don-vi/{built.md.pk}/xuat/{key}.xlsx?nam=2024").status_code == 200
        )
    assert officer_client.get(f"/bao-cao/don-vi/{built.md.pk}/xuat/khong-co.xlsx").status_code == 404


def test_rebuild_button_runs_the_task(officer_client, built):
    add_person(OrgUnit.objects.get(pk=built.t1.pk), "Hồ Văn Thêm", gender="M")
    response = officer_client.post(f"/bao-cao/don-vi/{built.md.pk}/tong-hop-lai/?nam=2024")
    assert response.status_code == 302
    assert officer_client.get(f"/bao-cao/don-vi/{built.md.pk}/?nam=2024").context["now"]["members"] == 4


def test_rebuild_counters_command(built, capsys):
    call_command("rebuild_counters", "--year", "2024", "--root", "HN-MD")
    assert "Năm 2024" in capsys.readouterr().out


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    from reports.demo import build_demo

    build_demo(rng=None, year=2024)
    return OrgUnit.objects.get(code="HN-MD")


def test_news_draft_and_summary_of_the_demo_district_carry_the_raw_counts(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="canbo.myduc"))
    end = "2024-12-31"
    members = Membership.objects.filter(unit__path__startswith=demo.path, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )
    registered = members.filter(
        person__registrations__movement__year=2024, person__registrations__person__isnull=False
    ).distinct()
    raw = {
        "members": members.count(),
        "registered": registered.count(),
        "initiatives": Initiative.objects.filter(
            unit__path__startswith=demo.path, year=2024, status="RECOGNIZED"
        ).count(),
        "htxs": Evaluation.objects.filter(unit__path__startswith=demo.path, year=2024, rating="HTXS").count(),
        "collectives": Registration.objects.filter(
            unit__path__startswith=demo.path, movement__year=2024, person__isnull=True
        )
        .values("unit")
        .distinct()
        .count(),
    }
    assert all(raw.values()), raw
    response = client.get(f"/bao-cao/don-vi/{demo.pk}/tin-bai/?nam=2024")
    assert response.status_code == 200
    text = response.context["text"]
    assert text.startswith("LĐLĐ huyện Mỹ Đức: ")
    assert "Năm 2024, LĐLĐ huyện Mỹ Đức đã phát động" in text
    assert f"có {vn_int(raw['members'])} đoàn viên" in text
    assert f"{vn_int(raw['registered'])} cán bộ, đoàn viên" in text or (
        raw["registered"] == raw["members"] and "100% cán bộ, đoàn viên đã đăng ký thi đua" in text
    )
    assert f"trong đó {raw['initiatives']} sáng kiến được công nhận" in text
    assert f"{raw['htxs']} đoàn viên hoàn thành xuất sắc nhiệm vụ" in text
    assert f"{raw['collectives']} tập thể đăng ký" in text
    awards = AwardRecord.objects.filter(scope_unit__path__startswith=demo.path, year=2024, status="VALID")
    collectives, individuals = (
        awards.filter(unit__isnull=False).count(),
        awards.filter(person__isnull=False).count(),
    )
    assert collectives >= 20 and individuals >= 15  # the demo district's year-end awards
    assert f"trao thưởng cho {collectives} tập thể và {individuals} cá nhân đã được" in text
    html = response.content.decode()
    assert 'data-copy-target="news-text"' in html and "<textarea" in html

    txt = client.get(f"/bao-cao/don-vi/{demo.pk}/tin-bai.txt?nam=2024")
    assert txt.content.decode("utf-8") == text
    word = client.get(f"/bao-cao/don-vi/{demo.pk}/tin-bai.docx?nam=2024")
    paragraphs = [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert paragraphs[0] == text.partition("\n\n")[0]

    summary = client.get(f"/bao-cao/don-vi/{demo.pk}/tong-ket/?nam=2024")
    assert summary.status_code == 200
    doc = Document(io.BytesIO(summary.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "BÁO CÁO" in body and "Tổng kết phong trào thi đua năm 2024" in body
    assert f"có {vn_int(raw['members'])} đoàn viên" in body
    assert f"{raw['initiatives']} sáng kiến được công nhận" in body
    assert "III. CÔNG TÁC KHEN THƯỞNG" in body
    assert f"toàn đơn vị có {collectives} tập thể và {individuals} cá nhân được khen thưởng" in body
    award_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Cấp khen thưởng")
    assert [c.text for c in award_table.rows[-1].cells] == [
        "Tổng cộng",
        str(collectives),
        str(individuals),
    ] + [str(awards.filter(person__gender="F").count())]
    assert "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI" in cells and "LĐLĐ HUYỆN MỸ ĐỨC" in cells
    assert re.search(r"Mỹ Đức, ngày \d{2} tháng \d{1,2} năm \d{4}", cells)
