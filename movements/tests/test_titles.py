"""Registration titles: movements keeps a registry of title sources; the award catalogue (commendations,
a layer above) fills it from its AppConfig, and forms and services read it at each use."""

import pytest

from core.exceptions import ServiceError
from movements import choices
from movements.forms import CollectiveRegistrationForm, SelfRegistrationForm
from movements.services import _clean_titles


@pytest.fixture
def extra_source():
    def source(kind):
        return (
            [("THU_CN", "Danh hiệu thử (cá nhân)")]
            if kind == "person"
            else [("THU_TT", "Danh hiệu thử (tập thể)")]
        )

    choices.register_title_source(source)
    yield source
    choices.unregister_title_source(source)


def test_the_award_catalogue_is_a_registered_source():
    from commendations.engine.declarations import registration_titles

    assert registration_titles in choices._TITLE_SOURCES
    assert choices.individual_titles()[:3] == [
        ("LDTT", "Lao động tiên tiến"),
        ("CSTDCS", "Chiến sĩ thi đua cơ sở"),
        ("CSTD_BO", "Chiến sĩ thi đua cấp bộ, ngành, tỉnh, Tổng LĐ"),
    ]
    assert choices.title_names()["TTLDXS"] == "Tập thể lao động xuất sắc"


def test_titles_come_from_the_sources_then_the_movements_own(extra_source):
    codes = [code for code, _ in choices.individual_titles()]
    assert codes[-3:] == ["THU_CN", "GVNDVN", "LDG_LDST"]
    assert [code for code, _ in choices.collective_titles()][-2:] == ["THU_TT", "CDCS_VMXS"]
    choices.register_title_source(extra_source)  # registering twice lists it once
    assert [code for code, _ in choices.individual_titles()].count("THU_CN") == 1
    assert choices.title_names()["THU_TT"] == "Danh hiệu thử (tập thể)"


def test_forms_and_services_read_the_titles_at_each_use(extra_source):
    assert ("THU_CN", "Danh hiệu thử (cá nhân)") in list(SelfRegistrationForm().fields["titles"].choices)
    assert ("THU_TT", "Danh hiệu thử (tập thể)") in list(
        CollectiveRegistrationForm().fields["titles"].choices
    )
    assert _clean_titles(["THU_CN"], choices.individual_titles()) == ["THU_CN"]
    choices.unregister_title_source(extra_source)
    assert "THU_CN" not in dict(SelfRegistrationForm().fields["titles"].choices)
    with pytest.raises(ServiceError, match="Danh hiệu không hợp lệ: THU_CN."):
        _clean_titles(["THU_CN"], choices.individual_titles())


def test_without_sources_only_the_movements_own_titles_remain(monkeypatch):
    monkeypatch.setattr(choices, "_TITLE_SOURCES", [])
    assert choices.individual_titles() == [
        ("GVNDVN", "Giỏi việc nước, đảm việc nhà"),
        ("LDG_LDST", "Lao động giỏi, Lao động sáng tạo"),
    ]
    assert choices.collective_titles() == [("CDCS_VMXS", "Công đoàn cơ sở vững mạnh xuất sắc")]
