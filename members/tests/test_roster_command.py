from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from members.models import Person

FILES = Path(__file__).resolve().parent / "files"


def test_import_roster_command_prints_summary(tree, officer, capsys):
    call_command("import_roster", "HN-MD-UBND", str(FILES / "roster_basic.ods"), user=officer.username)
    out = capsys.readouterr().out
    assert "Đã ghi 6 dòng" in out and "thêm 5" in out
    call_command("import_roster", "HN-MD-UBND", str(FILES / "roster_basic.xls"), user=officer.username)
    assert "thêm 0" in capsys.readouterr().out


def test_import_roster_command_fails_with_row_errors(tree, officer, capsys):
    count = Person.objects.count()
    with pytest.raises(CommandError, match="3 lỗi"):
        call_command("import_roster", "HN-MD-UBND", str(FILES / "roster_500_bad.xlsx"), user=officer.username)
    err = capsys.readouterr().err
    assert "Dòng 62, cột “Ngày sinh”" in err and "Dòng 235, cột “Số CCCD”" in err and "Dòng 486" in err
    assert Person.objects.count() == count


def test_import_roster_command_unknown_unit_and_scope(tree, make_user):
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("import_roster", "XX", str(FILES / "roster_basic.xlsx"))
    from accounts.roles import Role

    outsider = make_user(Role.OFFICER, tree.hbt)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        call_command("import_roster", "HN-MD-UBND", str(FILES / "roster_basic.xlsx"), user=outsider.username)
