"""The apps' demo parts are discovered from their own `demo` modules (`demo/parts.py`)."""

import random
import sys
import types

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from demo import builder, parts
from demo.names import FAMILY, GIVEN_MALE, MIDDLE_MALE


def test_the_apps_parts_are_discovered_in_their_declared_order():
    found = parts.discover_parts()
    assert [p.app for p in found] == [
        "movements",
        "clusters",  # the emulation clusters (clusters/demo.py)
        "initiatives",
        "commendations",
        "nominations",
        "reports",  # last: its counters count what the others created
    ]
    assert [p.order for p in found] == sorted(p.order for p in found)
    labels = {key: label for p in found for key, label in p.labels.items()}
    assert labels["dossiers"] == "hồ sơ đề nghị" and labels["evaluations"] == "lượt xếp loại"


@pytest.fixture
def fake_app(monkeypatch, tmp_path):
    """An installed app `fakeapp` whose `demo` module the test writes."""
    package = tmp_path / "fakeapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = types.SimpleNamespace(name="fakeapp", label="fakeapp", module=None)
    real = apps.get_app_configs

    def with_fake():
        import fakeapp

        config.module = fakeapp
        return [*real(), config]

    monkeypatch.setattr(parts.apps, "get_app_configs", with_fake)
    yield package / "demo.py"
    for name in ("fakeapp", "fakeapp.demo"):
        sys.modules.pop(name, None)


def test_a_new_apps_part_joins_at_its_order(fake_app):
    fake_app.write_text(
        "DEMO_ORDER = 45\nDEMO_LABELS = {'things': 'thứ'}\n"
        "def demo_part(demo):\n    return {'things': demo.year}\n"
    )
    found = parts.discover_parts()
    assert [p.app for p in found][3:6] == ["commendations", "fakeapp", "nominations"]
    context = parts.DemoContext(rng=random.Random(1), year=2024, password="x")
    assert found[4].build(context) == {"things": 2024} and found[4].labels == {"things": "thứ"}


def test_a_demo_module_without_a_part_is_not_one(fake_app):
    fake_app.write_text("SOMETHING_ELSE = 1\n")
    assert "fakeapp" not in [p.app for p in parts.discover_parts()]


def test_a_part_without_an_order_is_refused(fake_app):
    fake_app.write_text("def demo_part(demo):\n    return {}\n")
    with pytest.raises(ImproperlyConfigured, match="fakeapp.demo"):
        parts.discover_parts()


def test_parts_share_the_builders_random_generator_and_their_counts_are_collected(monkeypatch):
    seen = []

    def part(key, draws):
        def build(demo):
            seen.append((key, demo.rng, demo.year, demo.password))
            return {key: draws}

        return parts.DemoPart(key, 0, build, {})

    monkeypatch.setattr(builder, "discover_parts", lambda: [part("a", 1), part("b", 2)])
    demo = builder.DemoBuilder.__new__(builder.DemoBuilder)
    demo.rng = random.Random(3)
    assert demo._domain_content() == {"a": 1, "b": 2}
    assert seen == [
        ("a", demo.rng, builder.DEMO_YEAR, builder.DEMO_PASSWORD),
        ("b", demo.rng, builder.DEMO_YEAR, builder.DEMO_PASSWORD),
    ]


def test_male_name_draws_family_middle_and_given_name_in_that_order():
    expected = random.Random(5)
    name = parts.DemoContext(rng=random.Random(5), year=2024, password="x").male_name()
    assert name == " ".join(
        [
            expected.choice([f for f, _ in FAMILY]),
            expected.choice(MIDDLE_MALE),
            expected.choice(GIVEN_MALE),
        ]
    )
