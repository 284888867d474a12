"""Demo initiatives for LĐLĐ huyện Mỹ Đức (a part of `load_demo`, `demo_part` below).

The seed article counts 707 initiatives across the whole district workforce; the demo district has about
665 union members, so it gets ~50 initiatives for the year: most recognised at cơ sở level (by LĐLĐ huyện
Mỹ Đức), a few at provincial level (by LĐLĐ thành phố Hà Nội), some still with the council, one or two
rejected. Authors are existing demo members of the unit.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from core.models import AuditEvent
from core.text import fold
from members.models import Membership
from organizations.models import OrgUnit
from organizations.tree import subtree_q

from .choices import CRITERIA, Field, Level, Status, Verdict
from .models import Initiative, InitiativeAuthor, InitiativeReview

DEMO_ORDER = 30  # after the movements and clusters
DEMO_LABELS = {"initiatives": "sáng kiến"}

K, Q, G, Y, C, D = Field.KY_THUAT, Field.QUAN_LY, Field.GIAO_DUC, Field.Y_TE, Field.CCHC, Field.CHUYEN_DOI_SO

# (title, field, description) by the unit they apply in
TITLES: dict[str, list[tuple[str, str, str]]] = {
    "HN-MD-UBND": [
        ("Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử tại UBND huyện", D,
         "Tiếp nhận, theo dõi và trả kết quả hồ sơ thủ tục hành chính qua phần mềm một cửa điện tử; người dân "
         "tra cứu tình trạng hồ sơ bằng mã QR, giảm thời gian chờ và số lần đi lại."),
        ("Số hóa kho lưu trữ hồ sơ đất đai của huyện", D,
         "Quét, gắn chỉ mục và lưu trữ điện tử hồ sơ địa chính; tra cứu hồ sơ trong vài phút thay vì vài ngày."),
        ("Chuẩn hóa quy trình tiếp nhận đơn thư khiếu nại, tố cáo", C,
         "Bộ quy trình và biểu mẫu thống nhất giữa các phòng, theo dõi hạn giải quyết trên bảng tính dùng chung."),
        ("Rút ngắn thời gian cấp giấy chứng nhận đăng ký hộ kinh doanh", C,
         "Phân công xử lý song song và ký số, rút thời gian giải quyết từ 3 ngày xuống 1 ngày làm việc."),
        ("Xây dựng bộ câu hỏi thường gặp về thủ tục hành chính trên cổng thông tin huyện", C,
         "Tổng hợp 120 câu hỏi thường gặp, đăng công khai, giảm cuộc gọi hỏi đáp tới bộ phận một cửa."),
        ("Ứng dụng chữ ký số trong ban hành văn bản của UBND huyện", D,
         "Ký số và gửi văn bản điện tử liên thông, giảm chi phí in ấn và chuyển phát."),
        ("Quản lý tài sản công bằng mã QR tại cơ quan UBND huyện", Q,
         "Dán mã QR cho tài sản, kiểm kê bằng điện thoại, đối chiếu sổ sách nhanh và chính xác."),
        ("Giải pháp tiết kiệm điện, nước tại trụ sở cơ quan", Q,
         "Quy định giờ bật tắt điều hòa, lắp van tiết kiệm nước, giảm 12% chi phí điện nước một năm."),
        ("Theo dõi tiến độ dự án đầu tư công bằng bảng điều khiển trực tuyến", D,
         "Cập nhật tiến độ giải ngân từng dự án hằng tuần, cảnh báo dự án chậm cho lãnh đạo huyện."),
        ("Cải tiến cách lập dự toán ngân sách xã trên bảng tính dùng chung", Q,
         "Mẫu dự toán thống nhất có công thức kiểm tra, giảm sai sót khi tổng hợp dự toán các xã."),
        ("Tổ chức hội nghị trực tuyến từ huyện đến các xã", D,
         "Kết nối điểm cầu các xã, giảm chi phí đi lại và thời gian tổ chức hội nghị."),
        ("Sổ tay hướng dẫn nghiệp vụ văn thư cho cán bộ mới", Q,
         "Tài liệu ngắn gọn về soạn thảo, đăng ký, lưu văn bản giúp cán bộ mới làm việc đúng quy định."),
        ("Số hóa hồ sơ cán bộ, công chức, viên chức của huyện", D,
         "Hồ sơ cán bộ được số hóa, cập nhật biến động và lập báo cáo nhanh theo yêu cầu của thành phố."),
        ("Ứng dụng mạng xã hội Zalo trong tuyên truyền chính sách đến người dân", C,
         "Nhóm Zalo theo thôn, xóm đăng thông báo, lịch tiếp công dân và hướng dẫn thủ tục."),
        ("Phần mềm theo dõi việc thực hiện nhiệm vụ được giao của các phòng", Q,
         "Giao việc, nhắc hạn và báo cáo kết quả trên phần mềm, lãnh đạo theo dõi tiến độ theo thời gian thực."),
        ("Bản đồ số quy hoạch sử dụng đất phục vụ tra cứu của người dân", D,
         "Công khai quy hoạch trên bản đồ số, người dân tự tra cứu thửa đất của mình."),
    ],
    "HN-MD-TTYT": [
        ("Số hóa sổ khám bệnh và hồ sơ bệnh án tại Trung tâm Y tế huyện", Y,
         "Bệnh án điện tử cho khoa khám bệnh, bệnh nhân tra cứu kết quả xét nghiệm qua điện thoại."),
        ("Đặt lịch khám bệnh qua tổng đài và tin nhắn", Y,
         "Bệnh nhân đặt giờ khám trước, giảm thời gian chờ trung bình từ 90 xuống 35 phút."),
        ("Cải tiến quy trình tiếp đón người bệnh có thẻ bảo hiểm y tế", C,
         "Quầy tiếp đón một cửa, đọc thẻ bằng căn cước công dân gắn chip, rút ngắn thủ tục nhập viện."),
        ("Quy trình kiểm soát nhiễm khuẩn tại phòng tiểu phẫu", Y,
         "Bảng kiểm vô khuẩn theo từng bước, tỷ lệ nhiễm khuẩn vết mổ giảm rõ rệt."),
        ("Quản lý thuốc và vật tư y tế bằng mã vạch", K,
         "Nhập, xuất thuốc bằng máy quét mã vạch, cảnh báo thuốc sắp hết hạn dùng."),
        ("Tư vấn dinh dưỡng cho trẻ suy dinh dưỡng tại các trạm y tế xã", Y,
         "Buổi tư vấn định kỳ và sổ theo dõi cân nặng, tỷ lệ trẻ suy dinh dưỡng giảm 3%."),
        ("Ứng dụng nhắc lịch tiêm chủng qua tin nhắn cho phụ huynh", D,
         "Tin nhắn tự động nhắc lịch tiêm, tăng tỷ lệ tiêm đúng lịch cho trẻ dưới 1 tuổi."),
        ("Cải tiến xe đẩy cấp cứu giúp lấy thuốc nhanh hơn", K,
         "Sắp xếp ngăn kéo theo phác đồ cấp cứu, rút ngắn thời gian chuẩn bị thuốc."),
        ("Theo dõi bệnh nhân tăng huyết áp ngoại trú bằng phần mềm", Y,
         "Danh sách bệnh nhân, lịch tái khám và chỉ số huyết áp được quản lý tập trung."),
    ],
    "HN-MD-THPTA": [
        ("Nâng cao chất lượng dạy học môn Toán lớp 12 bằng phương pháp học nhóm", G,
         "Chia nhóm theo năng lực, giao nhiệm vụ phân hóa, điểm thi tốt nghiệp môn Toán tăng."),
        ("Ứng dụng bài giảng điện tử trong dạy học môn Lịch sử", G,
         "Bài giảng có tư liệu hình ảnh, bản đồ động, học sinh hứng thú hơn với môn học."),
        ("Xây dựng ngân hàng câu hỏi trắc nghiệm trực tuyến môn Vật lý", D,
         "Học sinh tự luyện tập và được chấm điểm tự động, giáo viên theo dõi tiến bộ từng em."),
        ("Giải pháp giáo dục kỹ năng sống cho học sinh qua hoạt động ngoại khóa", G,
         "Chuỗi hoạt động trải nghiệm theo chủ đề, giảm vi phạm nội quy trong nhà trường."),
        ("Quản lý điểm danh học sinh bằng phần mềm và tin nhắn cho phụ huynh", D,
         "Điểm danh trên máy tính bảng, phụ huynh nhận tin nhắn khi học sinh vắng học."),
        ("Phương pháp ôn thi học sinh giỏi môn Ngữ văn cấp thành phố", G,
         "Hệ thống chuyên đề và đề luyện, số học sinh giỏi cấp thành phố tăng."),
    ],
    "HN-MD-THCSDN": [
        ("Dạy học môn Tiếng Anh qua trò chơi cho học sinh lớp 6", G,
         "Trò chơi từ vựng và hội thoại ngắn, học sinh mạnh dạn giao tiếp hơn."),
        ("Xây dựng tủ sách dùng chung trong lớp học", G,
         "Học sinh góp sách, luân chuyển giữa các lớp, hình thành thói quen đọc."),
        ("Ứng dụng phần mềm GeoGebra trong dạy hình học lớp 8", D,
         "Hình vẽ động giúp học sinh hiểu bản chất bài toán hình học."),
        ("Phối hợp với phụ huynh quản lý học sinh qua nhóm lớp trực tuyến", Q,
         "Thông tin học tập và rèn luyện được trao đổi kịp thời giữa giáo viên và gia đình."),
    ],
    "HN-MD-XHS": [
        ("Quản lý khách tham quan khu di tích Hương Sơn bằng vé điện tử", D,
         "Bán vé qua mã QR, kiểm soát lượng khách mùa lễ hội, giảm ùn tắc tại bến đò."),
        ("Tổ tự quản vệ sinh môi trường tại các thôn", Q,
         "Mỗi thôn một tổ tự quản thu gom rác theo lịch, đường làng sạch hơn."),
        ("Cải tiến cách tiếp nhận hồ sơ chứng thực tại bộ phận một cửa xã", C,
         "Sắp xếp lại quầy và mẫu kê khai, giảm thời gian chờ chứng thực."),
    ],
    "HN-MD-XPLT": [
        ("Ứng dụng phần mềm quản lý hộ tịch tại UBND xã", D,
         "Đăng ký khai sinh, kết hôn trên phần mềm liên thông, tra cứu dữ liệu hộ tịch nhanh."),
        ("Thông báo lịch tiếp công dân qua loa truyền thanh thông minh", C,
         "Loa truyền thanh điều khiển qua điện thoại, thông tin đến người dân kịp thời."),
    ],
    "HN-MD-MAY": [
        ("Cải tiến quy trình cắt vải giảm hao hụt nguyên liệu", K,
         "Sắp xếp lại sơ đồ giác mẫu trên bàn cắt, giảm 2,5% phần vải thừa mỗi mã hàng."),
        ("Cữ gá may túi áo giúp tăng năng suất chuyền may", K,
         "Cữ gá tự chế giúp may túi đúng vị trí, tăng năng suất 15% ở công đoạn may túi."),
        ("Sắp xếp lại dây chuyền may theo phương pháp cân bằng chuyền", Q,
         "Phân bổ lại công đoạn theo thời gian chuẩn, giảm hàng tồn giữa các công đoạn."),
        ("Cải tiến bàn là hơi giảm tiêu hao điện năng", K,
         "Bọc cách nhiệt đường ống hơi và hẹn giờ nồi hơi, tiết kiệm 8% điện năng tổ hoàn thiện."),
        ("Kiểm tra chất lượng đường may bằng bảng so màu và mẫu chuẩn", K,
         "Công nhân tự kiểm tra bằng mẫu chuẩn, tỷ lệ hàng phải sửa giảm một nửa."),
        ("Quản lý phụ liệu may bằng mã vạch tại kho", D,
         "Nhập xuất phụ liệu bằng máy quét, tồn kho chính xác theo từng mã hàng."),
        ("Thiết kế giá treo bán thành phẩm di động giữa các công đoạn", K,
         "Giá treo có bánh xe giảm thời gian vận chuyển bán thành phẩm trong xưởng."),
        ("Đào tạo công nhân mới theo mô hình kèm cặp tại chuyền", Q,
         "Công nhân lành nghề kèm cặp người mới, rút ngắn thời gian đạt năng suất từ 3 tháng xuống 6 tuần."),
    ],
}  # fmt: skip

PROVINCIAL = 4  # recognised at the provincial level
BENEFIT_FIELDS = {K, Q, D, C}


def build_demo(*, rng: random.Random, year: int = 2024) -> int:
    """Create the demo initiatives for `year`; return how many. Idempotent: nothing is created when
    LĐLĐ huyện Mỹ Đức (code "HN-MD") is missing or already has initiatives for that year."""
    md = OrgUnit.objects.filter(code="HN-MD").first()
    # the district's units of 31/12/`year` (the demo dissolves it on 01/07/2025: today it has none)
    if md is None or Initiative.objects.filter(subtree_q("unit", md, year), year=year).exists():
        return 0
    hn = OrgUnit.objects.filter(code="HN").first()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=TITLES)}
    reviewers = list(
        User.objects.filter(username__in=["canbo.myduc", "hoidong.hanoi", "admin"]).order_by("id")
    )
    with transaction.atomic():
        specs = []
        for code, titles in TITLES.items():
            unit = units.get(code)
            if unit is None:
                continue
            members = list(
                Membership.objects.filter(unit__path__startswith=unit.path, ended_on__isnull=True)
                .order_by("person_id")
                .values_list("person_id", flat=True)
            )
            if not members:
                continue
            for title, field, description in titles:
                specs.append((unit, title, field, description, members))
        if not specs:
            return 0
        order = list(range(len(specs)))
        rng.shuffle(order)
        provincial = set(order[:PROVINCIAL])
        rejected = set(order[PROVINCIAL : PROVINCIAL + 2])
        pending = set(order[PROVINCIAL + 2 : PROVINCIAL + 7])
        initiatives, authors, reviews, events = [], [], [], []
        for index, (unit, title, field, description, _members) in enumerate(specs):
            if index in provincial and hn is not None:
                status, level, decided_by = Status.RECOGNIZED, Level.TINH_BO, hn
            elif index in rejected:
                status, level, decided_by = Status.REJECTED, "", md
            elif index in pending:
                status, level, decided_by = Status.UNDER_REVIEW, "", None
            else:
                status, level, decided_by = Status.RECOGNIZED, Level.CO_SO, md
            benefit = (
                rng.randrange(10, 400) * 1_000_000 if field in BENEFIT_FIELDS and rng.random() < 0.7 else None
            )
            decided = status in (Status.RECOGNIZED, Status.REJECTED)
            initiatives.append(
                Initiative(
                    title=title,
                    unit=unit,
                    year=year,
                    field=field,
                    description=description,
                    applied_since=dt.date(year - rng.randint(0, 1), rng.randint(1, 9), rng.randint(1, 28)),
                    benefit_vnd=benefit,
                    status=status,
                    recognition_level=level,
                    recognized_on=dt.date(year, 12, rng.randint(10, 28))
                    if status == Status.RECOGNIZED
                    else None,
                    decision_ref=f"{rng.randint(80, 460)}/QĐ-LĐLĐ" if decided else "",
                    decision_unit=decided_by if decided else None,
                    decision_note="Trùng nội dung với giải pháp đã áp dụng trước đó."
                    if status == Status.REJECTED
                    else "",
                )
            )
        for initiative in initiatives:  # bulk_create skips save(): fill the folded text here
            initiative.search_text = fold(f"{initiative.title}\n{initiative.description}")
        initiatives = Initiative.objects.bulk_create(initiatives)
        for initiative, (_, _, _, _, members) in zip(initiatives, specs, strict=True):
            count = min(len(members), rng.choices([1, 2, 3], weights=[5, 3, 2])[0])
            chosen = rng.sample(members, count)
            shares = _shares(rng, count)
            authors += [
                InitiativeAuthor(initiative=initiative, person_id=pid, share_percent=share, position=i)
                for i, (pid, share) in enumerate(zip(chosen, shares, strict=True))
            ]
            events.append(_event(initiative, "initiative.create", f"Đăng ký sáng kiến “{initiative.title}”"))
            if initiative.status == Status.DRAFT:
                continue
            for reviewer in reviewers[: rng.randint(1, len(reviewers))] if reviewers else []:
                accept = initiative.status != Status.REJECTED
                scores = {key: rng.randint(7, 10) if accept else rng.randint(2, 5) for key, _ in CRITERIA}
                reviews.append(
                    InitiativeReview(
                        initiative=initiative,
                        reviewer=reviewer,
                        scores=scores,
                        total=sum(scores.values()),
                        verdict=Verdict.ACCEPT if accept else Verdict.REJECT,
                    )
                )
            if initiative.status == Status.RECOGNIZED:
                events.append(
                    _event(
                        initiative,
                        "initiative.decide",
                        f"Công nhận sáng kiến “{initiative.title}” {initiative.get_recognition_level_display().lower()}"
                        f" (quyết định {initiative.decision_ref})",
                    )
                )
            elif initiative.status == Status.REJECTED:
                events.append(
                    _event(initiative, "initiative.decide", f"Không công nhận sáng kiến “{initiative.title}”")
                )
        InitiativeAuthor.objects.bulk_create(authors)
        InitiativeReview.objects.bulk_create(reviews)
        AuditEvent.objects.bulk_create(events)
    return len(initiatives)


def _shares(rng: random.Random, count: int) -> list[Decimal]:
    if count == 1:
        return [Decimal(100)]
    first = Decimal(rng.choice([50, 60, 70])) if count == 2 else Decimal(rng.choice([40, 50]))
    rest = (Decimal(100) - first) / (count - 1)
    shares = [first] + [rest.quantize(Decimal("0.01"))] * (count - 1)
    shares[-1] += Decimal(100) - sum(shares)
    return shares


def _event(initiative: Initiative, action: str, summary: str) -> AuditEvent:
    return AuditEvent(
        actor=None,
        actor_name="Dữ liệu mẫu",
        action=action,
        object_type=Initiative._meta.label_lower,
        object_id=str(initiative.pk),
        object_repr=initiative.title[:255],
        unit=initiative.unit,
        summary=summary,
    )


def demo_part(demo) -> dict[str, int]:
    """Part of `load_demo` (see `demo/parts.py`)."""
    return {"initiatives": build_demo(rng=demo.rng, year=demo.year)}
