"""One form of text (issue 14, "Unicode NFC everywhere"): every request parameter, every imported cell
and the stored names are NFC with Ð mapped to Đ; search, sort keys and certificates then agree."""

import unicodedata

import pytest
from django.urls import reverse

from core.text import collation_key, fold, normalize, person_sort_key
from core.xlsx import Workbook
from members.models import Person
from members.roster.reader import read_rows

NFC_NAME = "Nguyễn Thị Thu Hà"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)


def test_normalize_composes_and_maps_the_eth():
    assert NFD_NAME != NFC_NAME
    assert normalize(NFD_NAME) == NFC_NAME
    assert normalize("\u00d0ặng \u00d0ức") == "Đặng Đức"
    assert normalize("\u00f0") == "\u0111"
    assert normalize("Ha Noi") == "Ha Noi" and normalize("") == ""


def test_the_eth_no_longer_drops_out_of_search_and_sort_keys():
    """ "Ð" (U+00D0) used to vanish from the sort key: "Ðức" sorted as "ức"."""
    assert fold("\u00d0ức") == "duc" == fold("Đức")
    assert collation_key("\u00d0ức") == collation_key("Đức")
    assert person_sort_key(family_name="", middle_name="", given_name=NFD_NAME) == person_sort_key(
        family_name="", middle_name="", given_name=NFC_NAME
    )


def test_a_person_typed_decomposed_is_stored_composed(client, make_user, tree):
    from accounts.roles import Role

    officer = make_user(Role.OFFICER, tree.md)
    client.force_login(officer)
    data = {
        "p-family_name": unicodedata.normalize("NFD", "Nguyễn"),
        "p-middle_name": unicodedata.normalize("NFD", "Thị Thu"),
        "p-given_name": "\u00d0" + unicodedata.normalize("NFD", "ào"),
        "p-gender": "F",
        "m-unit": tree.t1.pk,
        "m-union_role": "DOAN_VIEN",
        "m-work_mode": "NONE",
        "m-started_on": "2015-01-01",
    }
    response = client.post(reverse("members:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(given_name="Đào")
    assert person.family_name == "Nguyễn" and person.middle_name == "Thị Thu"
    assert unicodedata.is_normalized("NFC", person.full_name)


def test_a_decomposed_search_finds_the_composed_name(client, make_user, tree):
    from accounts.roles import Role

    officer = make_user(Role.OFFICER, tree.md)
    client.force_login(officer)
    composed = client.get(reverse("members:list"), {"q": "Trần Thị Hoa"}).content.decode()
    decomposed = client.get(
        reverse("members:list"), {"q": unicodedata.normalize("NFD", "Trần Thị Hoa")}
    ).content.decode()
    assert "Trần Thị Hoa" in composed and "Trần Thị Hoa" in decomposed


def test_imported_cells_are_composed():
    book = Workbook()
    sheet = book.sheet("Danh sách")
    sheet.row(0, 0, ["Họ và tên", "Ngày sinh"])
    sheet.row(1, 0, [NFD_NAME, "01/02/1990"])
    sheet.row(2, 0, ["\u00d0ỗ Văn Nam", "03/04/1985"])
    rows = read_rows(book.close(), "danh-sach.xlsx")
    assert rows[1][0] == NFC_NAME
    assert rows[2][0] == "Đỗ Văn Nam"


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_middleware_leaves_ordinary_requests_alone(rf, method):
    from core.middleware import TextNormalizationMiddleware

    seen = {}

    def view(request):
        seen["params"] = request.GET if method == "get" else request.POST
        return None

    request = getattr(rf, method)("/", {"q": "Hà Nội", "x": "1"})
    original = request.GET if method == "get" else None
    TextNormalizationMiddleware(view)(request)
    assert seen["params"]["q"] == "Hà Nội"
    if original is not None:
        assert seen["params"] is original  # nothing to change: no copy


def test_the_migration_recomposes_stored_names_and_their_keys(tree):
    """Names written before normalisation (here straight into the table, as an old import did) are
    recomposed by the data migrations, with their search and sort keys."""
    import importlib

    from django.apps import apps

    from organizations.models import OrgUnit

    Person.objects.filter(pk=tree.hoa.pk).update(
        given_name=unicodedata.normalize("NFD", "Hoà"), full_name="x", sort_key="", search_text=""
    )
    OrgUnit.objects.filter(pk=tree.t1.pk).update(name="Tổ công đoàn Phòng \u00d0ào tạo", search_text="")
    importlib.import_module("members.migrations.0005_normalize_names").normalize_names(apps, None)
    importlib.import_module("organizations.migrations.0005_normalize_names").normalize_names(apps, None)
    hoa = Person.objects.get(pk=tree.hoa.pk)
    assert hoa.given_name == "Hoà" and hoa.full_name == "Trần Thị Hoà"
    assert hoa.search_text == "tran thi hoa"
    assert hoa.sort_key == person_sort_key(family_name="Trần", middle_name="Thị", given_name="Hoà")
    group = OrgUnit.objects.get(pk=tree.t1.pk)
    assert group.name == "Tổ công đoàn Phòng Đào tạo" and "dao tao" in group.search_text
