import pytest

from conftest import add_person
from core.text import collation_key, fold, person_sort_key, split_full_name
from members.models import Person


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Mỹ Đức", "my duc"),
        ("  Công   đoàn  ", "cong doan"),
        ("ĐẶNG Thị Ánh", "dang thi anh"),
        ("Nguyễn Văn Ướt", "nguyen van uot"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_handles_decomposed_unicode():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Hương Sơn")) == "huong son"


def key(full):
    family, middle, given = split_full_name(full)
    return person_sort_key(family_name=family, middle_name=middle, given_name=given)


def test_vietnamese_name_order_given_name_first():
    names = [
        "Nguyễn Văn An",
        "Trần Thị Bích",
        "Lê Văn Anh",
        "Phạm Thị Ánh",
        "Đỗ Đức Dũng",
        "Bùi Văn Đạt",
        "Hoàng Văn Ân",
        "Vũ Thị Ấn",
        "Đinh Thị Yến",
        "Ngô Văn Ước",
        "Lý Văn Uy",
    ]
    ordered = sorted(names, key=key)
    assert [n.split()[-1] for n in ordered] == [
        "An",
        "Anh",
        "Ánh",
        "Ân",
        "Ấn",
        "Bích",
        "Dũng",
        "Đạt",
        "Uy",
        "Ước",
        "Yến",
    ]
    # same given name: middle name decides, then family name
    assert sorted(["Trần Văn An", "Lê Văn An", "Nguyễn Thị An"], key=key) == [
        "Nguyễn Thị An",
        "Lê Văn An",
        "Trần Văn An",
    ]


def test_collation_key_is_plain_alphanumeric():
    k = collation_key("Ánh", "Thị Thu", "Nguyễn")
    assert k.isascii() and k.isalnum()


def test_split_full_name():
    assert split_full_name("Nguyễn Thị Thu Hà") == ("Nguyễn", "Thị Thu", "Hà")
    assert split_full_name("  Lan ") == ("", "", "Lan")
    assert split_full_name("Lê  Lợi") == ("Lê", "", "Lợi")


NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bích",
    "Lê Văn Anh",
    "Phạm Thị Ánh",
    "Đỗ Đức Dũng",
    "Bùi Văn Đạt",
    "Hoàng Văn Ân",
    "Vũ Thị Ấn",
    "Đinh Thị Yến",
    "Ngô Văn Ước",
    "Lý Văn Uy",
    "Nguyễn Thị An",
]


@pytest.mark.django_db
def test_database_sort_and_search_match_python(tree):
    """The same ordering and accent-insensitive search on whichever database runs the suite."""
    created = [add_person(tree.t1, name).pk for name in NAMES]
    db_order = list(
        Person.objects.filter(pk__in=created).order_by("sort_key").values_list("full_name", flat=True)
    )
    assert db_order == sorted(NAMES, key=key)
    assert set(
        Person.objects.filter(search_text__contains=fold("anh")).values_list("full_name", flat=True)
    ) >= {"Lê Văn Anh", "Phạm Thị Ánh"}
    hits = set(
        Person.objects.filter(pk__in=created, search_text__contains="uoc").values_list("full_name", flat=True)
    )
    assert hits == {"Ngô Văn Ước"}
    assert Person.objects.filter(search_text__contains=fold("DUNG")).count() == 1
