from django import forms

from core.exceptions import ServiceError
from core.forms import add_service_error


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_a_service_error_goes_on_the_field_it_names_or_on_the_form():
    form = _Form({"name": "x"})
    assert form.is_valid()
    add_service_error(form, ServiceError("Tên đã có.", field="name"))
    assert form.errors["name"] == ["Tên đã có."]
    add_service_error(form, ServiceError("Không có trường này.", field="khong_co"))
    add_service_error(form, ServiceError("Lỗi chung."))
    assert form.non_field_errors() == ["Không có trường này.", "Lỗi chung."]


def test_one_vietnamese_number_formatter():
    from decimal import Decimal
    from fractions import Fraction

    from core.numbers import fmt_int, fmt_number, fmt_percent
    from core.templatetags.thidua import vn_number, vn_percent

    assert fmt_int(9612) == "9.612" and fmt_int(-1234567) == "-1.234.567"
    assert fmt_number(Decimal("1234.50")) == "1.234,5" and fmt_number(2.675) == "2,68"  # half up, exact
    assert fmt_number(Fraction(1, 8), places=1, pad=True) == "0,1" and fmt_number(12, places=1) == "12"
    assert fmt_percent(Fraction(13, 16)) == "81,25 %"
    assert (
        vn_number(1234567) == "1.234.567"
        and vn_number(Decimal("1500.4")) == "1.500"
        and vn_number(None) == ""
    )
    assert vn_percent(1, 8) == "12,5 %" and vn_percent(3, 3) == "100,0 %" and vn_percent(1, 0) == "—"


def test_one_year_parser_for_every_screen():
    from django.http import QueryDict
    from django.utils import timezone

    from core.filters import year_from

    this_year = timezone.localdate().year
    assert year_from(QueryDict("nam=2025")) == 2025
    assert year_from(QueryDict(f"nam={this_year + 1}")) == this_year + 1  # next year's plan
    for bad in ("nam=", "nam=abc", "nam=1989", f"nam={this_year + 2}", "nam=2025.5", "", "nam=-1"):
        assert year_from(QueryDict(bad), default=2024) == 2024, bad
    assert year_from({"nam": " 2023 "}) == 2023 and year_from({}) is None


def test_one_pagination(rf, settings):
    from core.pagination import paginate

    settings.THIDUA_PAGE_SIZE = 3
    rows = list(range(10))
    assert list(paginate(rf.get("/"), rows)) == [0, 1, 2]
    assert list(paginate(rf.get("/?trang=4"), rows)) == [9]
    assert list(paginate(rf.get("/?trang=99"), rows)) == [9] and list(
        paginate(rf.get("/?trang=x"), rows)
    ) == [0, 1, 2]


def test_one_file_download_helper():
    from core.downloads import DOCX, file_response

    response = file_response(b"x", "báo-cáo-tổng-kết.docx")
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''b%C3%A1o")
    inline = file_response(b"%PDF", "giay-khen-1.pdf", inline=True)
    assert (
        inline["Content-Type"] == "application/pdf"
        and inline["Content-Disposition"] == 'inline; filename="giay-khen-1.pdf"'
    )
    assert file_response(b"", "tep")["Content-Type"] == "application/octet-stream"


def test_the_emulation_year_is_the_calendar_year_except_early_in_the_next_one():
    import datetime as dt

    from core.filters import emulation_year

    assert emulation_year(dt.date(2026, 12, 1)) == 2026
    assert emulation_year(dt.date(2026, 3, 1)) == 2026
    assert emulation_year(dt.date(2027, 1, 15)) == 2026
    assert emulation_year(dt.date(2027, 2, 28)) == 2026


def test_selects_offer_a_vietnamese_empty_choice_not_django_dashes():
    from django.db import models as m

    from accounts.models import User
    from core.forms import BootstrapFormMixin, empty_choice_label

    class _Choices(m.TextChoices):
        A = "A", "Một"

    class _SelectForm(BootstrapFormMixin, forms.Form):
        unit = forms.ModelChoiceField(User.objects.none(), label="Đơn vị", required=False)
        kind = forms.ChoiceField(choices=[("", "---------"), *_Choices.choices], label="Loại", required=False)
        lazy = forms.TypedChoiceField(
            choices=lambda: [("", "---------"), ("x", "X")], label="CĐCS", required=False
        )
        own = forms.ModelChoiceField(User.objects.none(), empty_label="Tất cả", required=False)

    html = str(_SelectForm())
    assert "---------" not in html
    assert "— Chọn đơn vị —" in html and "— Chọn loại —" in html and "— Chọn CĐCS —" in html
    assert "Tất cả" in html  # an empty label of the form's own is kept
    assert empty_choice_label("") == "— Chọn —"
