"""What the kinds' plans and commits share (`imports.planning`)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from imports import kinds
from imports.kinds import CellError, Column, ImportInvalid, Outcome, RowPlan
from imports.planning import Labels, cell_text, count, match_message, refuse_errors, shown_values


def test_cell_text_is_one_line_and_empty_for_an_empty_cell():
    assert cell_text("  Nguyễn   Văn\nAn ") == "Nguyễn Văn An"
    assert cell_text(None) == "" and cell_text("   ") == ""
    assert cell_text(2024) == "2024" and cell_text(0) == "0"


def test_labels_give_the_column_of_an_error():
    labels = Labels([Column("year", "Năm"), Column("full_name", "Họ và tên")])
    assert labels["year"] == "Năm"
    assert labels.error("full_name", "Thiếu họ và tên.") == CellError("Họ và tên", "Thiếu họ và tên.")
    assert labels.error("rating_2024", "…").column == "rating_2024"  # not declared: the key itself


def test_a_match_message_names_the_candidates_when_several_fit():
    one = SimpleNamespace(error="Không tìm thấy đoàn viên “An”.", candidates=[])
    several = SimpleNamespace(
        error="Có nhiều đoàn viên “Nguyễn Văn An”.",
        candidates=["Nguyễn Văn An (1985) — Tổ 1", "Nguyễn Văn An (1990) — Tổ 2"],
    )
    assert match_message(one) == "Không tìm thấy đoàn viên “An”."
    assert match_message(several) == (
        "Có nhiều đoàn viên “Nguyễn Văn An”. Có thể là: Nguyễn Văn An (1985) — Tổ 1; Nguyễn Văn An (1990) — Tổ 2."
    )


def test_shown_values_leave_out_empty_cells_and_write_dates_as_offices_do():
    values = {"name": "An", "birth": dt.date(1985, 3, 7), "note": " ", "unit": None, "months": 0}
    assert shown_values(values) == {"name": "An", "birth": "07/03/1985", "months": 0}


def test_a_commit_is_refused_while_a_row_is_an_error():
    fine = [RowPlan(3, Outcome.NEW), RowPlan(4, Outcome.SKIPPED), RowPlan(5, Outcome.SKIPPED)]
    refuse_errors(fine)
    assert count(fine, Outcome.SKIPPED) == 2
    with pytest.raises(ImportInvalid) as refused:
        refuse_errors([*fine, RowPlan(6, Outcome.ERROR)])
    assert len(refused.value.plans) == 4


@pytest.mark.parametrize(
    "key,label,url_name",
    [
        ("khen-thuong", "Xem sổ khen thưởng", "commendations:records"),
        ("danh-gia", "Xem bảng đánh giá, xếp loại", "movements:evaluations"),
        ("sang-kien", "Xem danh sách sáng kiến", "initiatives:list"),
    ],
)
def test_the_kinds_link_to_the_list_of_the_batchs_unit(key, label, url_name):
    assert kinds.get(key).result_link(SimpleNamespace(unit_id=42)) == (
        label,
        f"{reverse(url_name)}?don_vi=42",
    )
