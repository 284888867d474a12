"""The counters' registry (`core.metrics`) is filled by the apps themselves: each app registers the
providers of the data it owns in its own `metrics` module, found by `ReportsConfig.ready`
(`autodiscover_modules("metrics")`); reports names none of them."""

import sys
import types
from pathlib import Path

import pytest
from django.apps import apps

from core import metrics
from reports.models import UnitCounter
from reports.selectors import rollup
from reports.services import counters_rebuild

OWNERS = {
    "organizations.metrics": {"units"},
    "clusters.metrics": {"clusters"},
    "members.metrics": {"members"},
    "commendations.metrics": {"awards"},
    "movements.metrics": {"movements", "registered_members", "registrations", "evaluations", "reports"},
    "initiatives.metrics": {"initiatives"},
    "nominations.metrics": {"nominations"},
}


def test_every_provider_lives_in_the_metrics_module_of_the_app_owning_its_data():
    found: dict[str, set[str]] = {}
    for provider in metrics.providers():
        found.setdefault(provider.__module__, set()).add(provider.__name__)
    assert found == OWNERS
    assert not any(module.startswith("reports") for module in found)


def test_reports_names_no_provider_and_keeps_no_registry_of_its_own():
    reports_dir = Path(apps.get_app_config("reports").path)
    assert not (reports_dir / "metrics.py").exists() and not (reports_dir / "awards.py").exists()
    for source in reports_dir.glob("*.py"):
        text = source.read_text()
        assert "import metrics" not in text.replace("from core import metrics", ""), source
        assert ".metrics import register" not in text, source


def test_every_metric_key_of_the_apps_has_a_label():
    labels = metrics.labels()
    expected = {
        "members": "Đoàn viên",
        "cdcs": "Công đoàn cơ sở",
        "reg_persons": "Đoàn viên đã đăng ký thi đua",
        "eval_HTXS": "Hoàn thành xuất sắc nhiệm vụ",
        "ceval_KHT": "Tập thể không hoàn thành nhiệm vụ",
        "cluster_units": "Đơn vị tham gia cụm, khối",
        "initiatives": "Sáng kiến được công nhận",
        "aw_nu": "Nữ được khen thưởng",
        "awl_NN_tt": "Khen thưởng cấp Nhà nước: tập thể",
        "nom_ok_tt": "Tập thể được khen thưởng theo đề nghị",
    }
    assert {key: labels[key] for key in expected} == expected
    with pytest.raises(TypeError):
        labels["members"] = "x"  # read-only: only `register` adds labels


def test_reports_autodiscovers_metrics_modules(monkeypatch):
    seen = []
    monkeypatch.setattr("reports.apps.autodiscover_modules", lambda name: seen.append(name))
    apps.get_app_config("reports").ready()
    assert seen == ["metrics"]


def test_registering_twice_keeps_one_provider_and_unregister_drops_its_labels():
    def things(year, prefix):
        return []

    metrics.register(things, {"things_x": "Thứ"})
    metrics.register(things)
    try:
        assert metrics.providers().count(things) == 1 and metrics.labels()["things_x"] == "Thứ"
    finally:
        metrics.unregister(things)
    assert things not in metrics.providers() and "things_x" not in metrics.labels()


@pytest.fixture
def fake_app(monkeypatch, tmp_path):
    """An installed app `fakemetrics` whose `metrics` module registers a provider of its own."""
    package = tmp_path / "fakemetrics"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "metrics.py").write_text(
        "from core.metrics import register\n"
        "from organizations.models import OrgUnit\n\n\n"
        "def things(year, prefix):\n"
        "    for pk in OrgUnit.objects.filter(path__startswith=prefix, code='HN-MD').values_list('pk', flat=True):\n"
        "        yield pk, 'fake_things', year - 2000\n\n\n"
        "register(things, {'fake_things': 'Thứ đếm thử'})\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    config = types.SimpleNamespace(name="fakemetrics", label="fakemetrics", module=None)
    real = apps.get_app_configs

    def with_fake():
        import fakemetrics

        config.module = fakemetrics
        return [*real(), config]

    monkeypatch.setattr(apps, "get_app_configs", with_fake)
    yield
    module = sys.modules.get("fakemetrics.metrics")
    if module is not None:
        metrics.unregister(module.things)
    for name in ("fakemetrics", "fakemetrics.metrics"):
        sys.modules.pop(name, None)


def test_a_provider_in_an_apps_metrics_module_is_picked_up_by_counters_rebuild(tree, fake_app):
    counters_rebuild(year=2024)
    assert not UnitCounter.objects.filter(metric="fake_things").exists()  # not yet discovered
    before = rollup(unit=tree.hn, year=2024)
    assert before["members"] and before["cdcs"]

    apps.get_app_config("reports").ready()
    assert "fakemetrics.metrics" in {p.__module__ for p in metrics.providers()}
    assert metrics.labels()["fake_things"] == "Thứ đếm thử"
    counters_rebuild(year=2024)
    assert UnitCounter.objects.get(metric="fake_things").unit_id == tree.md.pk
    assert rollup(unit=tree.hn, year=2024) == before | {"fake_things": 24}  # the apps' figures unchanged

    apps.get_app_config("reports").ready()  # discovering again registers nothing twice
    assert [p.__module__ for p in metrics.providers()].count("fakemetrics.metrics") == 1
