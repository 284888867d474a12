"""The clusters' part of `load_demo` (see `demo/parts.py`): the emulation clusters of LĐLĐ huyện Mỹ Đức,
two clusters of its grassroots unions for the demo year, each with a leader and deputy, a signed covenant
(with a small PDF) and a year-end ranking proposing the leader for the flag. Idempotent (a cluster whose
name exists for the year is left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from core.exceptions import ServiceError
from core.text import fold
from organizations.models import OrgUnit

from . import services
from .choices import ClusterKind, ClusterRole
from .models import Cluster

DEMO_ORDER = 20  # after the movements
DEMO_LABELS = {"clusters": "cụm thi đua"}

ORGANISER = "HN-MD"
L, D, M = ClusterRole.LEADER, ClusterRole.DEPUTY, ClusterRole.MEMBER

CLUSTERS = [
    (
        "Cụm thi đua số 1 — khối cơ quan hành chính, sự nghiệp",
        [("HN-MD-UBND", L), ("HN-MD-XHS", D), ("HN-MD-XPLT", M)],
        (2, 26),
        "Hội trường Ủy ban nhân dân huyện Mỹ Đức",
    ),
    (
        "Cụm thi đua số 2 — khối giáo dục, y tế, doanh nghiệp",
        [("HN-MD-TTYT", L), ("HN-MD-THPTA", D), ("HN-MD-THCSDN", M), ("HN-MD-MAY", M)],
        (3, 5),
        "Trung tâm Y tế huyện Mỹ Đức",
    ),
]

COVENANT = """Hưởng ứng các phong trào thi đua do Công đoàn các cấp phát động năm {year}, các công đoàn cơ sở \
trong {name} cùng ký giao ước thi đua với những nội dung sau:

1. Đẩy mạnh phong trào thi đua “Lao động giỏi, Lao động sáng tạo”: mỗi đơn vị có ít nhất một sáng kiến, \
giải pháp cải tiến được công nhận; 100% đoàn viên hoàn thành nhiệm vụ được giao.
2. Thực hiện phong trào “Xanh – Sạch – Đẹp, bảo đảm an toàn vệ sinh lao động”: không để xảy ra tai nạn \
lao động nghiêm trọng; cơ quan, đơn vị xanh, sạch, đẹp.
3. Đẩy mạnh phong trào thi đua “Giỏi việc nước, đảm việc nhà” trong nữ cán bộ, công chức, viên chức, \
người lao động.
4. Phát triển đoàn viên, xây dựng công đoàn cơ sở vững mạnh; thu, nộp kinh phí và đoàn phí công đoàn đúng quy định.
5. Định kỳ 6 tháng, các đơn vị trong cụm kiểm tra chéo, cuối năm chấm điểm, bình xét và đề nghị \
Liên đoàn Lao động huyện tặng Cờ thi đua cho đơn vị dẫn đầu."""


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII lines (a stand-in for the scanned signed covenant)."""
    text = ["BT", "/F1 13 Tf", "60 780 Td", "18 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({safe}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _ascii(text: str) -> str:
    folded = fold(text)
    return folded.upper() if text.isupper() else folded.capitalize()


def demo_part(demo) -> dict[str, int]:
    return {"clusters": build_demo(rng=demo.rng, year=demo.year)}


def build_demo(*, rng: random.Random, year: int = 2024) -> int:
    """Create the Mỹ Đức demo clusters for `year`; returns how many clusters were created."""
    organiser = OrgUnit.objects.filter(code=ORGANISER).first()
    if organiser is None:
        return 0
    units = {
        u.code: u
        for u in OrgUnit.objects.filter(path__startswith=organiser.path, depth__gt=organiser.depth).filter(
            code__in=[code for _, members, _, _ in CLUSTERS for code, _ in members]
        )
    }
    created = 0
    for name, member_codes, (month, day), place in CLUSTERS:
        if Cluster.objects.filter(organiser=organiser, year=year, name=name).exists():
            continue
        present = [(units[code], role) for code, role in member_codes if code in units]
        if not present:
            continue
        if not any(role == L for _, role in present):
            present[0] = (present[0][0], L)
        try:
            with transaction.atomic():
                _build_cluster(organiser, year, name, present, dt.date(year, month, day), place, rng)
        except ServiceError:
            continue  # a unit is already placed in another cluster that year: leave the data as it is
        created += 1
    return created


def _build_cluster(organiser, year, name, members, signed_on, place, rng) -> Cluster:
    cluster = services._apply_create(
        organiser=organiser, year=year, name=name, kind=ClusterKind.CUM, note="", flag_quota=1
    )
    services._apply_members(cluster, [services.MemberSpec(unit=u, role=r) for u, r in members])
    units = [u for u, _ in members]
    short_name = name.split(" — ")[0]
    pdf = _pdf(
        [
            "CONG HOA XA HOI CHU NGHIA VIET NAM",
            "Doc lap - Tu do - Hanh phuc",
            "",
            f"GIAO UOC THI DUA NAM {year}",
            f"{_ascii(short_name)} - {_ascii(organiser.name)}",
            f"Ky ngay {signed_on:%d/%m/%Y}",
            "",
            *[f"- {_ascii(u.name)}" for u in units],
        ]
    )
    services._apply_covenant(
        cluster=cluster,
        content=COVENANT.format(year=year, name=short_name),
        signed_on=signed_on,
        signatories=units,
        place=place,
        document=ContentFile(pdf, name=f"giao-uoc-{year}-{fold(short_name).replace(' ', '-')}.pdf"),
        user=None,
    )
    scores = sorted((Decimal(f"{rng.uniform(82, 98):.1f}") for _ in units), reverse=True)
    leader = next(u for u, r in members if r == L)
    others = [u for u in units if u.pk != leader.pk]
    rng.shuffle(others)
    ordered = [leader, *others]
    services._apply_rank(
        cluster=cluster,
        ranking=[services.RankSpec(unit=u, rank=i + 1, score=scores[i]) for i, u in enumerate(ordered)],
        proposed=[leader],
        override_reason="",
    )
    return cluster
