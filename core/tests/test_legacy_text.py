"""Issue 14: Vietnamese typed in the legacy fonts — TCVN3 (ABC, .VnTime) and VNI (VNI-Times) — read as
the Latin-1 characters Excel gives us, detected and converted to Unicode (`core.legacy_text`, pure).

The expected texts are written in Unicode by hand; the legacy texts are what the fonts' byte codes
show as when the font is not installed (as offices send them)."""

import unicodedata

import pytest

from core import legacy_text
from core.legacy_text import (
    TCVN3,
    VNI,
    column_encoding,
    convert_in_column,
    detect,
    is_vietnamese,
    plausible,
    to_unicode,
)
from core.text import collation_key, fold, normalize, person_sort_key

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def vietnamese_letters() -> set[str]:
    """Every Vietnamese letter outside ASCII (lower case): 12 vowels × 6 tones and đ, less a e i o u y."""
    letters = {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | {"đ"}
    return {ch for ch in letters if not ch.isascii()}


def test_there_are_67_lower_case_vietnamese_letters_outside_ascii():
    assert len(vietnamese_letters()) == 67


def test_tcvn3_has_one_code_for_every_lower_case_letter_and_the_seven_plain_capitals():
    table = legacy_text._TCVN3_CODES
    assert set(table.values()) == vietnamese_letters() | set("ĂÂÊÔƠƯĐ")
    assert len(set(table.values())) == len(table) == 74  # one code per letter
    assert all(0xA1 <= code <= 0xFE for code in table)


def test_vni_writes_every_letter_lower_and_upper_case():
    produced = set(legacy_text._VNI_PAIRS.values()) | set(legacy_text._VNI_LETTERS.values())
    expected = vietnamese_letters() | {ch.upper() for ch in vietnamese_letters()}
    assert expected <= produced


@pytest.mark.parametrize(
    "legacy,unicode",
    [
        ("NguyÔn V¨n An", "Nguyễn Văn An"),
        ("TrÇn ThÞ Hoa", "Trần Thị Hoa"),
        ("§Æng §øc Th¾ng", "Đặng Đức Thắng"),
        ("Ph\xadêng Th¶o", "Phường Thảo"),  # ư is the soft hyphen code 0xAD
        ("Hoµng Ngäc B×nh", "Hoàng Ngọc Bình"),
        ("Vò ThÞ Thanh Nhµn", "Vũ Thị Thanh Nhàn"),
        ("Ng« §×nh Giang TriÒu", "Ngô Đình Giang Triều"),
        ("Lª ThÞ Hång H¹nh", "Lê Thị Hồng Hạnh"),
        ("D\xad¬ng Quúnh Nh\xad", "Dương Quỳnh Như"),
        ("Hµ Néi", "Hà Nội"),
        # typed in the capital font .VnTimeH: toned letters come as lower-case codes
        ("NGUYÔN V¡N MINH", "NGUYỄN VĂN MINH"),
        ("TR¦êNG §¹I HäC", "TRƯỜNG ĐẠI HỌC"),
    ],
)
def test_tcvn3_to_unicode(legacy, unicode):
    assert to_unicode(legacy, TCVN3) == unicode
    assert detect(legacy) == TCVN3


def test_tcvn3_e_acute_survives_our_own_eth_normalisation():
    """TCVN3 writes "é" as 0xD0, the Icelandic eth "Ð", which core.text.normalize turns into "Đ" at
    upload; in TCVN3 text that "Đ" is read back as "é" (TCVN3's own Đ is "§")."""
    assert normalize("LÐ V¨n BÐ") == "LĐ V¨n BĐ"
    assert to_unicode(normalize("LÐ V¨n BÐ"), TCVN3) == "Lé Văn Bé"
    assert to_unicode("LÐ V¨n BÐ", TCVN3) == "Lé Văn Bé"


@pytest.mark.parametrize(
    "legacy,unicode",
    [
        ("Nguyeãn Vaên An", "Nguyễn Văn An"),
        ("Traàn Thò Hoa", "Trần Thị Hoa"),
        ("Ñaëng Ñöùc Thaéng", "Đặng Đức Thắng"),
        ("Tröông Thò Myõ Leä", "Trương Thị Mỹ Lệ"),
        ("Hoaøng Thò Thuûy", "Hoàng Thị Thủy"),
        ("Huyønh Ngoïc Baûo", "Huỳnh Ngọc Bảo"),
        ("Phaïm Thò Kim Oanh", "Phạm Thị Kim Oanh"),
        ("Voõ Vaên Tuaán", "Võ Văn Tuấn"),
        ("Leâ Thò Hoàng Haïnh", "Lê Thị Hồng Hạnh"),
        ("Nguyeãn Thò Ngoïc Höông", "Nguyễn Thị Ngọc Hương"),
        ("Ñoã Quang Vinh", "Đỗ Quang Vinh"),
        ("Buøi Thò Kieàu Trinh", "Bùi Thị Kiều Trinh"),
        ("Ngoâ Thò Nhö YÙ", "Ngô Thị Như Ý"),
        ("NGUYEÃN VAÊN AN", "NGUYỄN VĂN AN"),
        ("ÑAËNG THÒ AÙNH", "ĐẶNG THỊ ÁNH"),
    ],
)
def test_vni_to_unicode(legacy, unicode):
    assert to_unicode(legacy, VNI) == unicode
    assert detect(legacy) == VNI


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Văn An", "Hoàng Thị Lý", "Lê Hà", "Đặng Đức Thắng", "Nguyen Van An", "", "Phạm Thị Thu Hà"],
)
def test_unicode_and_ascii_text_is_not_legacy(text):
    assert detect(text) is None
    assert is_vietnamese(text)


@pytest.mark.parametrize("text", ["Jürgen Müller", "Nguyễn Văn Ánh¤¤", "Ŧest", "Ngúyễn"])
def test_text_that_is_neither_vietnamese_nor_convertible(text):
    assert detect(text) is None
    assert not is_vietnamese(text)


def test_a_text_that_holds_a_letter_no_legacy_code_has_is_unicode():
    assert to_unicode("Nguyễn", TCVN3) is None  # ễ has no TCVN3 code read as Latin-1
    assert to_unicode("Nguyễn", VNI) is None
    assert to_unicode("Lê Hà", TCVN3) is None  # "à" (0xE0) is no TCVN3 code


@pytest.mark.parametrize(
    "word,syllable",
    [
        ("Nguyễn", True),
        ("Thủy", True),
        ("Khuyến", True),
        ("Giữ", True),
        ("Quỳnh", True),
        ("Hương", True),
        ("Việt", True),
        ("Hoằng", True),
        ("Nguyeãn", False),  # VNI read as Unicode: "eã" is no Vietnamese vowel
        ("Hãa", False),  # TCVN3 "Hóa" read as Unicode
        ("Phaùm", False),  # VNI "Phạm" read as TCVN3: a glide vowel takes no final consonant
        ("Việc", True),
        ("Viềc", False),  # after c only sắc or nặng
        ("Tiê", False),  # iê needs a final consonant
    ],
)
def test_plausible_checks_each_syllable(word, syllable):
    assert plausible(word) is syllable


@pytest.mark.parametrize("name", ["Niê Kdăm", "Byă", "H'Hen Niê", "Nguyeãn"])
def test_a_name_is_accepted_when_it_holds_only_vietnamese_letters(name):
    """Names of ethnic minorities are not Kinh syllables; they are still Vietnamese letters."""
    assert is_vietnamese(name)


def test_two_tones_in_a_word_are_not_vietnamese():
    assert not is_vietnamese("Ngúyễn") and not plausible("Ngúyễn")


def test_a_column_is_converted_when_most_of_its_names_are_legacy():
    tcvn3_names = ["NguyÔn V¨n An", "TrÇn ThÞ Hoa", "Lª Minh", "Ph¹m ThÞ Lý", "Nguyen Van Binh"]
    assert column_encoding(tcvn3_names) == TCVN3
    vni_names = ["Nguyeãn Vaên An", "Traàn Thò Hoa", "Leâ Minh", "Hoàng Thị Lý"]  # one pasted in Unicode
    assert column_encoding(vni_names) == VNI
    assert column_encoding(["Nguyễn Văn An", "Trần Thị Hoa", "NguyÔn V¨n An"]) is None  # one in three
    assert column_encoding(["Nguyen Van An", ""]) is None


def test_a_cell_of_a_legacy_column_already_in_unicode_is_kept():
    assert convert_in_column("Nguyễn Văn An", TCVN3) == ("Nguyễn Văn An", False)
    assert convert_in_column("NguyÔn V¨n An", TCVN3) == ("Nguyễn Văn An", True)
    assert convert_in_column("Lý", TCVN3) == ("Lý", False)  # the same in both
    assert convert_in_column("Nguyen Van An", VNI) == ("Nguyen Van An", False)


# ------------------------------------------------------------------ the eth look-alike (core.text)
def test_the_eth_look_alike_sorts_and_folds_as_d_with_stroke():
    """ "Ð" (U+00D0, Icelandic eth) typed for "Đ" (U+0110): the sort key keeps it as Đ — after D, not
    as a letter of its own or dropped."""
    eth, dstroke, plain = "\u00d0ức", "Đức", "Dức"
    assert collation_key(eth) == collation_key(dstroke) != collation_key(plain)
    assert collation_key("Dung") < collation_key(eth) < collation_key("Em")
    assert person_sort_key(
        family_name="\u00d0ặng", middle_name="Văn", given_name="\u00d0ức"
    ) == person_sort_key(family_name="Đặng", middle_name="Văn", given_name="Đức")
    assert fold("\u00d0ặng \u00f0ức") == "dang duc"
