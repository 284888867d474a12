"""Roster import in the browser, on the import framework (kind "doan-vien"): the Mỹ Đức officer uploads a
spreadsheet for Công đoàn UBND huyện Mỹ Đức from its member list, confirms the column mapping, sees the
preview of every row, commits, sees it written and finds the new members in the unit. (Tests run the task backend immediately; `make run` uses the database worker.)"""

import datetime as dt

import pytest
import xlsxwriter
from django.core.management import call_command
from playwright.sync_api import expect

from members.models import Person
from organizations.models import OrgUnit

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_file(path, group_name):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.merge_range(0, 0, 0, 5, "DANH SÁCH ĐOÀN VIÊN BỔ SUNG")
    for col, text in enumerate(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Tổ CĐ"]):
        sheet.write_string(2, col, text)
    people = [
        ("Bạch Thị Quỳnh Như", "15/04/1993", "Nữ", "001193777001"),
        ("Khổng Văn Toàn", 33000, "Nam", "001090777002"),
        ("Ông Thị Xuyến", "02/02/1990", "nu", "001190777003"),
    ]
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for i, (name, birth, gender, cid) in enumerate(people, start=3):
        sheet.write_number(i, 0, i - 2)
        sheet.write_string(i, 1, name)
        if isinstance(birth, int):
            sheet.write_number(i, 2, birth, date)
        else:
            sheet.write_string(i, 2, birth)
        sheet.write_string(i, 3, gender)
        sheet.write_string(i, 4, cid)
        sheet.write_string(i, 5, group_name)
    workbook.close()


def test_officer_imports_roster_and_sees_members(page, live_server, shot, console_errors, tmp_path):
    call_command("load_demo", verbosity=0)
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    group = OrgUnit.objects.filter(path__startswith=ubnd.path, depth=ubnd.depth + 1).order_by("path").first()
    roster_file = tmp_path / "bo_sung.xlsx"
    make_file(roster_file, group.name)

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.goto(f"{live_server.url}/doan-vien/?don_vi={ubnd.pk}")
    page.get_by_role("link", name="Nhập danh sách").click()
    expect(page.get_by_role("heading", name="Nhập “Danh sách đoàn viên” từ tệp")).to_be_visible()
    page.get_by_label("Tệp (.xlsx, .xls, .ods)").set_input_files(str(roster_file))
    shot(page, "10-roster-upload", width=375)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Tải lên và đọc tệp").click()

    expect(page.get_by_role("heading", name="Ghép cột — Danh sách đoàn viên")).to_be_visible()
    expect(page.get_by_label("Dòng tiêu đề cột (số dòng trong bảng tính)")).to_have_value("3")
    expect(page.locator("#id_full_name")).to_have_value("1")
    expect(page.locator("#id_group")).to_have_value("5")
    shot(page, "11-roster-mapping", width=1280)
    shot(page, "11-roster-mapping", width=375)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Kiểm tra dữ liệu").click()

    expect(page.get_by_role("heading", name="Xem trước trước khi ghi")).to_be_visible()
    expect(page.get_by_test_id("loc-new")).to_contain_text("3")
    expect(page.get_by_test_id("loc-error")).to_contain_text("0")
    expect(page.get_by_text("Khổng Văn Toàn (1990)")).to_be_visible()
    shot(page, "12-roster-preview", width=1280)
    shot(page, "12-roster-preview", width=375)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Ghi vào hệ thống").click()

    expect(page.get_by_role("heading", name="Danh sách đoàn viên")).to_be_visible()
    expect(page.get_by_test_id("trang-thai")).to_have_text("Đã ghi xong")
    expect(page.get_by_test_id("ket-qua")).to_contain_text("thêm mới 3 đoàn viên")
    shot(page, "13-roster-done", width=1280)
    shot(page, "13-roster-done", width=375)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Xem danh sách đoàn viên").click()
    page.get_by_label("Tìm theo tên hoặc số thẻ").fill("khong van toan")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name="Khổng Văn Toàn")).to_be_visible()
    expect(page.get_by_text(group.name)).to_be_visible()
    shot(page, "14-roster-member", width=375)
    assert Person.objects.get(citizen_id="001090777002").birth_date == dt.date(1990, 5, 7)
    assert console_errors == []
