"""The year-end summary of a unit (Word, ND30 layout) and the news draft in the style of the union press.

Both are built from `reports.dashboard.build` (the counters) plus the names of the unit's movements and
clusters: no figure is typed by hand.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.template.loader import render_to_string
from django.utils import timezone

from clusters.models import Cluster
from commendations.metrics import LEVEL_CODES, LEVEL_OF_UNIT_TYPE, level_key
from documents.nd30 import Nd30Document
from documents.numbering import nd30_date, place_name
from documents.plans import default_signature, heading_parts, movement_subject
from organizations.abbreviations import issuer_abbreviation
from organizations.models import OrgUnit

from . import dashboard as dash

# Who confers the awards of a level, named in the news draft when no ancestor of the unit is that issuer.
ISSUER_NAMES = {
    "NN": "Nhà nước",
    "TLD": "Tổng LĐLĐ Việt Nam",
    "TINH": "các LĐLĐ tỉnh, thành phố, công đoàn ngành",
    "HUYEN": "các LĐLĐ quận, huyện, công đoàn cấp trên trực tiếp cơ sở",
    "CDCS": "các công đoàn cơ sở",
}


def award_issuers(*, unit: OrgUnit, ancestors: list[OrgUnit], figures: dict) -> list[str]:
    """Names of the issuers of the unit's awards, highest level first: the ancestor (or the unit itself)
    of that level when there is one ("LĐLĐ thành phố Hà Nội"), else the level's generic name."""
    own_levels: dict[str, OrgUnit] = {}
    for candidate in [*ancestors, unit]:
        level = LEVEL_OF_UNIT_TYPE.get(candidate.unit_type.code)
        if level:
            own_levels[level] = candidate
    names = []
    for level in LEVEL_CODES:
        if figures.get(level_key(level, "tt"), 0) + figures.get(level_key(level, "cn"), 0) == 0:
            continue
        issuer = None if level in ("NN", "TLD") else own_levels.get(level)
        names.append((issuer.short_name or issuer.name) if issuer is not None else ISSUER_NAMES[level])
    return names


def award_phrase(collectives: int, individuals: int) -> str:
    """ "45 tập thể và 22 cá nhân", "45 tập thể", "22 cá nhân" ("" when there is no award)."""
    parts = []
    if collectives:
        parts.append(f"{dash.vn_int(collectives)} tập thể")
    if individuals:
        parts.append(f"{dash.vn_int(individuals)} cá nhân")
    return " và ".join(parts)


def join_names(names: list[str]) -> str:
    return ", ".join(names)


def facts(*, unit: OrgUnit, year: int, user=None) -> dict:
    """The figures and names the summary and the news draft are written from."""
    from documents.selectors import movements_organised

    data = dash.build(unit=unit, year=year, user=user)
    now, before = data["now"], data["before"]
    clusters = list(
        Cluster.objects.filter(organiser=unit, year=year).select_related("covenant").order_by("name")
    )
    movements = movements_organised(unit=unit, year=year)
    best = None
    for child, figures in data["children"]:
        if figures.get("members"):
            key = (figures.get("reg_persons", 0) / figures["members"], figures.get("initiatives", 0))
            if best is None or key > best[0]:
                best = (key, child, figures)
    name = unit.short_name or unit.name
    _, _, ancestors = heading_parts(unit)
    return {
        **data,
        "name": name,
        "ancestors": ancestors,
        "award_phrase": award_phrase(now["aw_tt"], now["aw_cn"]),
        "award_issuers": join_names(award_issuers(unit=unit, ancestors=ancestors, figures=now)),
        "clusters_list": clusters,
        "movements_list": movements,
        "main_movement": next(
            (m for m in movements if m.kind == "YEARLY"), movements[0] if movements else None
        ),
        "main_subject": movement_subject(main)
        if (main := next((m for m in movements if m.kind == "YEARLY"), None))
        else "",
        "coverage_full": now["members"] > 0 and now["reg_persons"] >= now["members"],
        "best": None
        if best is None
        else {
            "name": best[1].short_name or best[1].name,
            "members": best[2].get("members", 0),
            "registered": best[2].get("reg_persons", 0),
            "coverage_pct": dash.percent(best[2].get("reg_persons", 0), best[2].get("members", 0)),
            "initiatives": best[2].get("initiatives", 0),
        },
        "htxs_pct": dash.percent(now["eval_HTXS"], data["rated"]),
        "initiatives_change": now["initiatives"] - before["initiatives"],
    }


def _fmt(context: dict) -> dict:
    """Vietnamese number formats for the text templates (8.889; 62,3)."""
    now = {k: dash.vn_int(v) for k, v in context["now"].items()}
    before = {k: dash.vn_int(v) for k, v in context["before"].items()}
    best = context["best"]
    if best:
        best = {
            **best,
            "members": dash.vn_int(best["members"]),
            "initiatives": dash.vn_int(best["initiatives"]),
            "coverage_pct": dash.vn_pct(best["coverage_pct"]),
        }
    return {
        **context,
        "n": now,
        "b": before,
        "raw": context["now"],
        "best": best,
        "women_pct": dash.vn_pct(context["women_pct"]),
        "coverage_pct": dash.vn_pct(context["coverage_pct"]),
        "htxs_pct": dash.vn_pct(context["htxs_pct"]),
        "next_year": context["year"] + 1,
        "prev_year": context["year"] - 1,
    }


def news_draft(*, unit: OrgUnit, year: int, user=None) -> str:
    text = render_to_string("reports/news_draft.txt", _fmt(facts(unit=unit, year=year, user=user)))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def news_docx(*, title: str, body: str) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    heading = doc.add_paragraph()
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(16)
    for paragraph in body.split("\n\n")[1:]:
        doc.add_paragraph(paragraph.strip())
    import io

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def summary_docx(*, unit: OrgUnit, year: int, user=None, progress=None) -> bytes:
    """The year-end summary (.docx). `progress`, when given, is called with (step, steps, label) as the
    document is built (for a background job showing its progress)."""

    def step(number: int, label: str) -> None:
        if progress is not None:
            progress(number, 3, label)

    step(0, "Tổng hợp số liệu")
    f = facts(unit=unit, year=year, user=user)
    now, before = f["now"], f["before"]
    parent, governing, ancestors = heading_parts(unit)
    step(1, "Soạn báo cáo")
    today = timezone.localdate()
    doc = Nd30Document(
        governing_body=governing,
        issuer=f["name"],
        number=f"Số:      /BC-{issuer_abbreviation(unit)}",
        place_date=f"{place_name(unit, ancestors)}, {nd30_date(today)}",
        kind="Báo cáo",
        summary=f"Tổng kết phong trào thi đua năm {year}",
    )
    n = defaultdict(lambda: "0", {k: dash.vn_int(v) for k, v in now.items()})
    doc.heading("I. ĐẶC ĐIỂM TÌNH HÌNH")
    doc.paragraph(
        f"Đến ngày 31/12/{year}, {f['name']} có {n['members']} đoàn viên"
        + (f" sinh hoạt tại {n['cdcs']} công đoàn cơ sở" if now["cdcs"] else "")
        + f"; nữ {n['members_female']} người, chiếm {dash.vn_pct(f['women_pct'])}%"
        + f" (năm {year - 1}: {dash.vn_int(before['members'])} đoàn viên)."
    )
    doc.heading("II. KẾT QUẢ THỰC HIỆN CÁC PHONG TRÀO THI ĐUA")
    doc.paragraph("1. Công tác phát động và đăng ký thi đua", italic=True)
    if f["movements_list"]:
        doc.paragraph(
            f"Năm {year}, {f['name']} đã phát động {len(f['movements_list'])} phong trào thi đua: "
            + "; ".join(m.name for m in f["movements_list"])
            + "."
        )
    doc.paragraph(
        f"Có {n['reg_persons']}/{n['members']} đoàn viên đăng ký thi đua, đạt {dash.vn_pct(f['coverage_pct'])}%; "
        f"{n['reg_collectives']} tập thể đăng ký danh hiệu thi đua."
    )
    doc.paragraph("2. Phong trào lao động sáng tạo", italic=True)
    doc.paragraph(
        f"Có {n['initiatives_submitted']} sáng kiến, giải pháp được đăng ký; {n['initiatives']} sáng kiến "
        f"được công nhận (năm {year - 1}: {dash.vn_int(before['initiatives'])})."
    )
    doc.paragraph("3. Cụm, khối thi đua và giao ước thi đua", italic=True)
    if f["clusters_list"]:
        doc.paragraph(
            f"Tổ chức {n['clusters']} cụm, khối thi đua với {n['cluster_units']} đơn vị tham gia; "
            f"{n['covenants']} cụm, khối đã ký giao ước thi đua: "
            + "; ".join(c.name for c in f["clusters_list"])
            + "."
        )
    else:
        doc.paragraph(
            f"Trong toàn đơn vị có {n['clusters']} cụm, khối thi đua, {n['covenants']} giao ước thi đua đã ký."
        )
    doc.paragraph("4. Đánh giá, xếp loại đoàn viên", italic=True)
    ratings = f["table_ratings"]
    doc.table(ratings.headers, ratings.display_rows + [ratings.display_footer], [95, 35, 35])
    doc.paragraph("5. Báo cáo sơ kết, tổng kết", italic=True)
    doc.paragraph(
        f"Các đơn vị đã gửi {n['reports_midyear']} báo cáo sơ kết và {n['reports_final']} báo cáo tổng kết."
    )
    doc.heading("III. CÔNG TÁC KHEN THƯỞNG")
    if f["award_phrase"]:
        doc.paragraph(
            f"Năm {year}, toàn đơn vị có {f['award_phrase']} được khen thưởng"
            + (f", trong đó {n['aw_nu']} cá nhân nữ" if now["aw_nu"] else "")
            + f" (năm {year - 1}: {dash.vn_int(before['aw_tt'])} tập thể, {dash.vn_int(before['aw_cn'])} cá nhân); "
            f"khen thưởng của {f['award_issuers']}."
        )
    else:
        doc.paragraph(f"Năm {year}, chưa có tập thể, cá nhân nào được ghi sổ khen thưởng.")
    if now["nom_dossiers"]:
        doc.paragraph(
            f"Các đơn vị đã gửi {n['nom_dossiers']} hồ sơ đề nghị khen thưởng cho {n['nom_cn']} cá nhân và "
            f"{n['nom_tt']} tập thể; đã có {n['nom_ok_cn']} cá nhân, {n['nom_ok_tt']} tập thể được khen thưởng."
        )
    levels = f["table_award_levels"]
    doc.table(levels.headers, levels.display_rows + [levels.display_footer], [80, 28, 28, 29])
    types = f["table_award_types"]
    if types.rows:
        doc.paragraph("Khen thưởng theo hình thức:", italic=True)
        doc.table(types.headers, types.display_rows + [types.display_footer], [80, 28, 28, 29])
    doc.heading("IV. SỐ LIỆU THEO ĐƠN VỊ TRỰC THUỘC")
    children = f["table_children"]
    cols = [0, 1, 4, 5, 6, 7]
    rows = [[row[c] for c in cols] for row in children.display_rows + [children.display_footer]]
    doc.table([children.headers[c] for c in cols], rows, [55, 22, 22, 22, 22, 22])
    doc.heading(f"V. SO SÁNH VỚI NĂM {year - 1}")
    summary = f["table_summary"]
    doc.table(summary.headers, summary.display_rows, [80, 28, 28, 29])
    doc.paragraph(f"Trên đây là báo cáo tổng kết phong trào thi đua năm {year} của {f['name']}.")
    signature = default_signature(unit, parent)
    doc.closing(
        recipients=signature.recipients,
        on_behalf=signature.on_behalf,
        position=signature.position,
        signer=signature.signer,
    )
    step(2, "Ghi tệp")
    content = doc.to_bytes()
    step(3, "Hoàn thành")
    return content


__all__ = ["award_phrase", "facts", "news_draft", "news_docx", "summary_docx"]
