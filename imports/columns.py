"""Columns several import kinds declare alike: one definition each, the union of the headers offices write.

Each factory takes the kind's own key (the kinds' plans and tests read `SourceRow.values` by it) and, where
kinds label the column differently, the label. Aliases are folded header texts (`imports.kinds.Column`);
the framework matches them exactly, the first column of a kind that lists an alias wins (`reading.matcher`).
So no column here lists "nam" (a year) beside the birth columns, nor "doi tuong" in "Loại" (it is also
"Phân loại đối tượng"): "Năm sinh" goes to the birth year in every kind that has one
(`imports/tests/test_columns.py`).
"""

from __future__ import annotations

from core.text import fold

from .kinds import DATE, ID, NAME, TEXT, YEAR, Column


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(alias for group in groups for alias in group))


ROW_NUMBER = ("stt", "tt", "so tt", "so thu tu")
PERSON_NAME = ("ho va ten", "ho ten")
NOMINEE_NAME = (
    *PERSON_NAME,
    "ho va ten ten tap the",
    "ho ten ten tap the",
    "ten tap the ho va ten",
    "ten tap the ho ten",
    "ho ten ca nhan ten tap the",
    "ten tap the ca nhan",
    "ten ca nhan tap the",
    "ten tap the",
    "ten",
    "ca nhan tap the duoc khen",
    "tap the ca nhan duoc khen thuong",
    "tap the ca nhan duoc de nghi",
)
BIRTH_DATE = ("ngay sinh", "ngay thang nam sinh", "ngay sinh nam sinh", "sinh ngay")
BIRTH_YEAR = ("nam sinh",)
CARD_NUMBER = ("so the doan vien", "so the", "so the dv", "ma the doan vien", "ma doan vien")
CITIZEN_ID = (
    "so cccd",
    "cccd",
    "so cmnd cccd",
    "can cuoc cong dan",
    "so can cuoc",
    "so dinh danh",
    "so dinh danh ca nhan",
)
WORKPLACE = (
    "don vi cong tac",
    "don vi",
    "noi cong tac",
    "co quan don vi",
    "co quan don vi cong tac",
    "chuc vu don vi cong tac",
    "to cong doan",
    "don vi to cong doan",
    "to cd",
    "phong ban",
    "bo phan",
)
NOMINEE_KIND = ("loai", "loai doi tuong", "tap the ca nhan", "ca nhan tap the", "tt cn", "cn tt")
AWARD = (
    "danh hieu thi dua hinh thuc khen thuong",
    "danh hieu hinh thuc khen thuong",
    "hinh thuc khen thuong danh hieu thi dua",
    "danh hieu thi dua",
    "hinh thuc khen thuong",
    "danh hieu khen thuong",
    "loai khen thuong",
    "danh hieu de nghi",
    "hinh thuc de nghi",
    "hinh thuc khen thuong de nghi",
    "danh hieu",
    "hinh thuc",
    "khen thuong",
)
ACHIEVEMENTS = (
    "tom tat thanh tich",
    "thanh tich",
    "thanh tich tom tat",
    "tom tat thanh tich noi bat",
    "thanh tich dat duoc",
    "noi dung khen thuong",
    "ly do khen thuong",
)
DECISION_NUMBER = (
    "so quyet dinh",
    "so qd",
    "quyet dinh so",
    "qd so",
    "so hieu quyet dinh",
    "so ky hieu",
    "so van ban",
    "quyet dinh",
    "so quyet dinh cong nhan",
    "quyet dinh cong nhan",
)
DECISION_DATE = (
    "ngay quyet dinh",
    "ngay qd",
    "ngay ky",
    "ngay ky quyet dinh",
    "ngay ban hanh",
    "ngay thang nam quyet dinh",
    "ngay quyet dinh cong nhan",
    "ngay cong nhan",
    "quyet dinh ngay",
)
# the year a record is about (of the award, the rating, the recognition): never "nam sinh"
YEAR_OF = (
    "nam",
    "nam khen thuong",
    "nam xet",
    "nam thi dua",
    "nam dat",
    "nam danh gia",
    "nam xep loai",
    "nam danh gia xep loai",
    "nam cong nhan",
    "nam sang kien",
)


def row_number(key: str = "stt") -> Column:
    """ "STT": read as text (never a row error), the framework knows it by its label."""
    return Column(key, "STT", ROW_NUMBER, TEXT)


def person_name(key: str, *, extra: tuple[str, ...] = ()) -> Column:
    return Column(key, "Họ và tên", _union(PERSON_NAME, extra), NAME, required=True)


def nominee_name(key: str) -> Column:
    """A person's or a collective's name in one column."""
    return Column(key, "Họ và tên / Tên tập thể", NOMINEE_NAME, NAME, required=True)


def nominee_kind(key: str, *, extra: tuple[str, ...] = ()) -> Column:
    """ "Loại": Tập thể / Cá nhân (`kind_of` reads the cell)."""
    return Column(key, "Loại", _union(NOMINEE_KIND, extra), hint="Tập thể hoặc Cá nhân")


def birth_date(key: str) -> Column:
    return Column(key, "Ngày sinh", BIRTH_DATE, DATE, hint="dd/mm/yyyy")


def birth_year(key: str) -> Column:
    return Column(key, "Năm sinh", BIRTH_YEAR, YEAR)


def card_number(key: str) -> Column:
    return Column(key, "Số thẻ đoàn viên", CARD_NUMBER, ID)


def citizen_id(key: str) -> Column:
    return Column(key, "Số CCCD", CITIZEN_ID, ID)


def workplace(key: str, label: str = "Đơn vị công tác", *, extra: tuple[str, ...] = ()) -> Column:
    return Column(key, label, _union(extra, WORKPLACE))


def award(key: str, label: str, *, hint: str = "") -> Column:
    """ "Danh hiệu thi đua / Hình thức khen thưởng" (`commendations.award_names` reads the cell)."""
    return Column(key, label, AWARD, required=True, hint=hint)


def achievements(key: str) -> Column:
    return Column(key, "Tóm tắt thành tích", ACHIEVEMENTS)


def decision_number(key: str, *, required: bool = False) -> Column:
    return Column(key, "Số quyết định", DECISION_NUMBER, required=required)


def decision_date(key: str, label: str = "Ngày quyết định", *, required: bool = False) -> Column:
    return Column(key, label, DECISION_DATE, DATE, required=required, hint="dd/mm/yyyy")


def year(key: str = "year", *, hint: str = "") -> Column:
    return Column(key, "Năm", YEAR_OF, YEAR, hint=hint)


# ---- the "Loại" cell ----------------------------------------------------------------------------------

PERSON, COLLECTIVE = "person", "collective"
_KIND_WORDS = {"ca nhan": PERSON, "cn": PERSON, "tap the": COLLECTIVE, "tt": COLLECTIVE, "don vi": COLLECTIVE}


def _words(text) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(str(text or ""))).split())


def kind_of(text) -> str | None:
    """ "Cá nhân", "CN", "Tập thể", "TT", "Đơn vị" → PERSON / COLLECTIVE; None when not one of them."""
    return _KIND_WORDS.get(_words(text))


def kind_of_section(section) -> str | None:
    """ "I. TẬP THỂ", "II. Cá nhân", "Danh sách cá nhân đề nghị …": the kind the section holds, if one."""
    words = f" {_words(section)} "
    has_person, has_collective = " ca nhan " in words, " tap the " in words
    if has_person != has_collective:
        return PERSON if has_person else COLLECTIVE
    return None
