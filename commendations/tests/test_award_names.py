"""The one award-name resolver of the import kinds (`commendations.award_names`): every spelling the past-awards
and nomination-list imports accept, ambiguity, and the messages when a name is unknown or the catalogue empty."""

from __future__ import annotations

import pytest

from commendations.award_names import AwardNames
from commendations.models import AwardType

# every spelling the kinds' tests write (commendations/tests/test_import_awards.py,
# nominations/tests/test_import_nominations.py, imports/tests), with the award type it names
SPELLINGS = [
    # past awards (annex lists)
    ("CSTĐCS", "CSTDCS"),
    ("CSTĐ cơ sở", "CSTDCS"),
    ("Chiến sĩ thi đua cơ sở", "CSTDCS"),
    ("LĐTT", "LDTT"),
    ("Lao động tiên tiến", "LDTT"),
    ("BK TLĐ", "BK_TLD"),
    ("Bằng khen TLĐ", "BK_TLD"),
    ("Bằng khen của Tổng Liên đoàn Lao động Việt Nam", "BK_TLD"),
    ("GK", "GK"),
    ("giấy khen", "GK"),
    ("Giấy khen", "GK"),
    ("CSTD_BO", "CSTD_BO"),
    ("CSTĐ cấp tỉnh", "CSTD_BO"),
    ("Bằng khen Thủ tướng Chính phủ", "BK_TTG"),
    ("Bằng khen Thủ tướng", "BK_TTG"),
    ("Tập thể LĐXS", "TTLDXS"),
    ("Danh hiệu Lao động tiên tiến", "LDTT"),
    ("Bằng khen LĐLĐ thành phố", "BK_LDLD"),
    # nomination lists
    ("Bằng khen Tổng LĐLĐVN", "BK_TLD"),
    ("Giấy khen của Công đoàn cơ sở", "GK"),
    ("Bằng khen LĐLĐ tỉnh", "BK_LDLD"),
    ("Bằng khen của Liên đoàn Lao động thành phố", "BK_LDLD"),
    ("Kỷ niệm chương", "KNC_CD"),
    ("Tập thể lao động tiên tiến", "TTLDTT"),
    ("Tập thể LĐTT", "TTLDTT"),
    ("TTLĐTT", "TTLDTT"),
    # the same written otherwise: without accents, in capitals, with the words offices put before it
    ("CSTD co so", "CSTDCS"),
    ("LAO ĐỘNG TIÊN TIẾN", "LDTT"),
    ("Đề nghị tặng Bằng khen của Tổng Liên đoàn", "BK_TLD"),
    ("Hình thức: Giấy khen", "GK"),
    ("  Chiến sĩ   thi đua cơ sở ", "CSTDCS"),
]


@pytest.fixture
def names(db):
    return AwardNames.load()


@pytest.mark.parametrize("text,code", SPELLINGS)
def test_every_spelling_the_kinds_accept_names_one_award(names, text, code):
    assert [a.code for a in names.find(text)] == [code]
    match = names.match(text)
    assert match.award.code == code and match.error == ""


@pytest.mark.parametrize("text", ["Huân chương Lao động", "Huân chương Lao động hạng Ba", "Bằng khen"])
def test_an_unknown_name_lists_every_accepted_name(names, text):
    match = names.match(text)
    assert match.award is None
    assert match.error.startswith(f"Danh hiệu, hình thức “{text}” không có trong danh mục. Hãy ghi một trong")
    for award in AwardType.objects.filter(active=True):
        assert f"“{award.name}”" in match.error
    assert "“Lao động tiên tiến” (LĐTT)" in match.error and "“Giấy khen”;" in match.error
    assert "“Giấy khen” (Giấy khen)" not in match.error  # a short name equal to the name is not repeated


def test_an_award_no_longer_in_use_is_not_accepted(db):
    AwardType.objects.filter(code="KNC_CD").update(active=False)
    names = AwardNames.load()
    assert names.find("Kỷ niệm chương") == []
    assert "Kỷ niệm chương" not in names.match("KNC").error.split("Hãy ghi")[1]


def test_an_empty_catalogue_says_so_instead_of_an_empty_list(db):
    AwardType.objects.update(active=False)
    match = AwardNames.load().match("Lao động tiên tiến")
    assert match.award is None
    assert "chưa có mục nào đang dùng" in match.error
    assert "ghi một trong" not in match.error and "các tên: ." not in match.error
    assert AwardNames([]).match("LĐTT").error == (
        "Danh hiệu, hình thức “LĐTT” không có trong danh mục: danh mục danh hiệu, hình thức khen thưởng chưa "
        "có mục nào đang dùng — hãy nhờ người quản trị khai báo danh mục rồi nhập lại."
    )


def _award(pk, code, name, short_name=""):
    return AwardType(pk=pk, code=code, name=name, short_name=short_name, position=pk)


def test_a_text_two_awards_share_is_ambiguous_and_names_both():
    names = AwardNames(
        [
            _award(1, "BK_A", "Bằng khen của Liên đoàn Lao động tỉnh", "Bằng khen LĐLĐ"),
            _award(2, "BK_B", "Bằng khen của Liên đoàn Lao động thành phố", "Bằng khen LĐLĐ"),
        ]
    )
    assert [a.code for a in names.find("Bằng khen LĐLĐ")] == ["BK_A", "BK_B"]
    match = names.match("Bằng khen LĐLĐ")
    assert match.award is None
    assert match.error == (
        "Danh hiệu, hình thức “Bằng khen LĐLĐ” có thể là “Bằng khen của Liên đoàn Lao động tỉnh” hoặc "
        "“Bằng khen của Liên đoàn Lao động thành phố”: hãy ghi đầy đủ tên."
    )
    assert names.match("Bằng khen của Liên đoàn Lao động thành phố").award.code == "BK_B"


def test_a_name_as_written_wins_over_an_expanded_one():
    # "BK TLĐ" is the first's short name; expanded ("bang khen tong lien doan …") it is also the second's name
    names = AwardNames(
        [
            _award(1, "X", "Bằng khen đặc biệt", "BK TLĐ"),
            _award(2, "B2", "Bằng khen Tổng Liên đoàn Lao động Việt Nam"),
        ]
    )
    assert [a.code for a in names.find("BK TLĐ")] == ["X"]
    assert [a.code for a in names.find("Bằng khen Tổng Liên đoàn Lao động Việt Nam")] == ["B2"]
    assert [a.code for a in names.find("Bằng khen Tổng LĐLĐVN")] == ["X", "B2"]  # expanded: both
