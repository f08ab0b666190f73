"""Imports across the reorganisation: an old unit's name leads to its successor, with a note
in the dry run; re-importing an export of a merged unit's systems changes nothing."""

import io

from django.utils import translation

from registry.exports import export_systems
from registry.imports import import_systems
from registry.models import InformationSystem, Role
from tests.imports.conftest import basic_csv


def run(data, user, **options):
    with translation.override("vi"):
        return import_systems(io.BytesIO(data), "systems.csv", user, **options)


def test_a_row_naming_a_merged_province_goes_to_its_successor_with_a_note(units, role_user):
    officer = role_user(Role.OFFICER, units["P08"])
    data = basic_csv(["TQ-NEW-1", "Cổng dữ liệu mới", "Hà Giang", "2", "15/01/2026"])
    report = run(data, officer, dry_run=True)
    assert report.ok, report.errors
    assert "Hà Giang → Tuyên Quang từ 01/07/2025" in report.all_notes()
    assert not InformationSystem.objects.filter(code="TQ-NEW-1").exists()
    run(data, officer)
    assert InformationSystem.objects.get(code="TQ-NEW-1").owner.code == "P08"


def test_another_province_still_reads_as_unknown(units, role_user):
    officer = role_user(Role.OFFICER, units["P08"])
    data = basic_csv(["TQ-NEW-2", "Cổng", "Lào Cai", "2", "15/01/2026"])
    report = run(data, officer, dry_run=True)
    assert not report.ok  # Lào Cai is not a unit this officer may import for


def test_reimporting_an_export_of_a_merged_units_systems_changes_nothing(units, role_user):
    officer = role_user(Role.OFFICER, units["P08"])
    systems = InformationSystem.objects.filter(owner__code__in=["P02", "P02-IT"])
    owners = dict(systems.values_list("code", "owner__code"))
    report = run(export_systems(systems, "csv"), officer)
    assert report.ok, report.errors[:3]
    assert (report.created, report.updated) == (0, 0)
    assert dict(systems.values_list("code", "owner__code")) == owners
