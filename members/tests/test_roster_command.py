"""`manage.py import_members` (and its old name `import_roster`): the framework's command for the kind
"doan-vien" — summary, row errors (nothing written), unknown unit and scope."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role
from members.models import Person

FILES = Path(__file__).resolve().parent / "files"


@pytest.mark.parametrize("command", ["import_members", "import_roster"])
def test_the_command_prints_the_summary(tree, officer, capsys, command):
    call_command(command, "HN-MD-UBND", str(FILES / "roster_basic.ods"), user=officer.username)
    out = capsys.readouterr().out
    assert "Đã ghi 6 dòng: thêm mới 5 đoàn viên, cập nhật 1, không đổi 0" in out
    call_command(command, "HN-MD-UBND", str(FILES / "roster_basic.xls"), user=officer.username)
    assert "thêm mới 0 đoàn viên" in capsys.readouterr().out


def test_the_command_fails_with_row_errors(tree, officer, capsys):
    count = Person.objects.count()
    with pytest.raises(CommandError, match="chưa ghi dòng nào"):
        call_command(
            "import_members", "HN-MD-UBND", str(FILES / "roster_500_bad.xlsx"), user=officer.username
        )
    err = capsys.readouterr().err
    assert "Dòng 62, cột “Ngày sinh”" in err and "Dòng 235, cột “Số CCCD”" in err and "Dòng 486" in err
    assert Person.objects.count() == count


def test_the_command_unknown_unit_and_scope(tree, make_user):
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("import_members", "XX", str(FILES / "roster_basic.xlsx"))
    outsider = make_user(Role.OFFICER, tree.hbt)
    with pytest.raises(CommandError, match="không có quyền nhập “Danh sách đoàn viên”"):
        call_command("import_members", "HN-MD-UBND", str(FILES / "roster_basic.xlsx"), user=outsider.username)
