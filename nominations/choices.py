from django.db import models


class DossierKind(models.TextChoices):
    YEARLY = "YEARLY", "Khen thưởng tổng kết năm"
    THEMATIC = "THEMATIC", "Khen thưởng chuyên đề"
    SUDDEN = "SUDDEN", "Khen thưởng đột xuất"
    LONG_SERVICE = "LONG_SERVICE", "Khen thưởng quá trình cống hiến"


class DossierState(models.TextChoices):
    DRAFT = "DRAFT", "Đang soạn"
    IN_REVIEW = "IN_REVIEW", "Đang xét duyệt"
    RETURNED = "RETURNED", "Bị trả lại"
    POSTED = "POSTED", "Đang công khai lấy ý kiến"
    IN_COUNCIL = "IN_COUNCIL", "Đang trình Hội đồng"
    DECIDED = "DECIDED", "Đã có quyết định"
    REJECTED = "REJECTED", "Không khen thưởng"
    RECALLED = "RECALLED", "Đã rút lại"


class StepVerdict(models.TextChoices):
    PENDING = "PENDING", "Chờ xử lý"
    FORWARDED = "FORWARDED", "Đã chuyển cấp trên"
    RETURNED = "RETURNED", "Trả lại"
    ACCEPTED = "ACCEPTED", "Tiếp nhận tại cấp có thẩm quyền"
    RECALLED = "RECALLED", "Đơn vị đề nghị rút lại"


class ItemStatus(models.TextChoices):
    PENDING = "PENDING", "Đang xét"
    RETURNED = "RETURNED", "Bị trả lại"
    ACCEPTED = "ACCEPTED", "Được khen thưởng"
    REJECTED = "REJECTED", "Không được khen thưởng"


class DocumentKind(models.TextChoices):
    TO_TRINH = "TO_TRINH", "Tờ trình"
    BIEN_BAN = "BIEN_BAN", "Biên bản họp xét"
    BAO_CAO = "BAO_CAO", "Báo cáo thành tích"
    DANH_SACH = "DANH_SACH", "Danh sách đề nghị"
    KHAC = "KHAC", "Tài liệu khác"


class CouncilRole(models.TextChoices):
    CHAIR = "CHAIR", "Chủ tịch Hội đồng"
    VICE = "VICE", "Phó Chủ tịch Hội đồng"
    MEMBER = "MEMBER", "Ủy viên"


class Choice(models.TextChoices):
    YES = "YES", "Đồng ý"
    NO = "NO", "Không đồng ý"
    ABSTAIN = "ABSTAIN", "Không biểu quyết"


class SessionState(models.TextChoices):
    OPEN = "OPEN", "Đang bỏ phiếu"
    CLOSED = "CLOSED", "Đã kết thúc"


class CommentStatus(models.TextChoices):
    PENDING = "PENDING", "Chờ duyệt"
    PUBLISHED = "PUBLISHED", "Đã đăng"
    HIDDEN = "HIDDEN", "Không đăng"
