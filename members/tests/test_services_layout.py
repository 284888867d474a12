"""The members services package: its parts, the names it re-exports, and no import cycle with the roster."""

import grimp

from members import services, validation
from members.services import memberships, persons, rosters


def test_the_roster_no_longer_imports_the_services():
    """`members.roster` used to import `members.services` inside functions (services → roster →
    services); the person checks it needs now live below both, in `members.validation`."""
    graph = grimp.build_graph("members", cache_dir=None)  # every import, function-level ones included
    assert not graph.chain_exists(importer="members.roster", imported="members.services", as_packages=True)
    assert graph.chain_exists(importer="members.services", imported="members.roster", as_packages=True)
    assert graph.find_shortest_chain(importer="members.validation", imported="members.services") is None
    assert graph.find_shortest_chain(importer="members.validation", imported="members.roster") is None
    assert "members.validation" in graph.find_modules_directly_imported_by("members.roster.validate")
    assert "members.validation" in graph.find_modules_directly_imported_by("members.roster.match")


def test_the_package_re_exports_each_part():
    expected = {
        validation: ["PERSON_FIELDS", "MIN_AGE", "MAX_AGE", "GENDERS", "person_validate"],
        persons: ["person_create", "person_update"],
        memberships: [
            "membership_update",
            "membership_end",
            "membership_transfer",
            "membership_transfer_bulk",
        ],
        rosters: [
            "RosterInvalid",
            "IMPORT_PERSON_FIELDS",
            "IMPORT_MEMBERSHIP_FIELDS",
            "BATCH",
            "WRITE_CHUNK",
            "roster_import",
            "bulk_update_history",
            "roster_export",
        ],
    }
    for part, names in expected.items():
        for name in names:
            assert getattr(services, name) is getattr(part, name), f"members.services.{name}"
    assert persons.PERSON_FIELDS is validation.PERSON_FIELDS  # the person form reads services.PERSON_FIELDS
