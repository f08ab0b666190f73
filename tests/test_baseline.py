import datetime

import pytest
from django.core.management import CommandError, call_command

from registry.baseline import (
    CUTOFF,
    build_systems,
    ensure_units,
    load_appendix_ix,
    read_appendix_ix,
)
from registry.models import DossierStatus, InformationSystem, Membership, Unit


def _fingerprint():
    return list(
        InformationSystem.objects.order_by("code").values_list(
            "code",
            "name",
            "owner__code",
            "proposed_level",
            "dossier_status",
            "decision_date",
            "deployed_full_on",
        )
    )


def test_baseline_units_and_tree(baseline):
    reporting = Unit.objects.filter(parent__isnull=True)
    assert reporting.count() == 91
    assert reporting.filter(group="ministry").count() == 28
    assert reporting.filter(group="province").count() == 63
    hanoi = Unit.objects.get(code="P01")
    assert hanoi.name == "Hà Nội"
    department = Unit.objects.get(code="P01-IT")
    assert department.parent == hanoi and department.reporting_unit == hanoi
    assert Unit.objects.get(code="B13").name == "Bộ Văn hóa, Thể thao và Du lịch"


def test_baseline_dates_are_consistent_and_not_after_june_2024(baseline):
    systems = InformationSystem.objects.all()
    assert not systems.filter(declared_on__gt=CUTOFF).exists()
    assert not systems.filter(decision_date__gt=CUTOFF).exists()
    assert not systems.filter(deployed_full_on__gt=CUTOFF).exists()
    approved = systems.filter(dossier_status=DossierStatus.APPROVED)
    assert approved.count() == 5323
    assert not approved.filter(decision_number="").exists()


def test_loading_twice_changes_nothing(baseline):
    before = _fingerprint()
    result = load_appendix_ix()
    assert (result.units_created, result.systems_created) == (0, 0)
    assert _fingerprint() == before


def test_same_seed_same_data_other_seed_other_data(db):
    published = read_appendix_ix()
    units, _ = ensure_units(published)

    def built(seed):
        return [
            (s.code, s.name, s.owner.code, s.proposed_level, s.dossier_status, s.decision_date)
            for s in build_systems(published, units, seed=seed)
        ]

    assert built(7) == built(7)
    assert built(7) != built(8)


def test_scale_multiplies_every_count(db):
    call_command("load_appendix_ix", "--scale", "2")
    assert InformationSystem.objects.count() == 2 * 7008
    assert InformationSystem.objects.filter(dossier_status="approved").count() == 2 * 5323
    assert InformationSystem.objects.filter(deployment="full").count() == 2 * 3957


def test_another_scale_over_a_loaded_baseline_is_refused(baseline):
    with pytest.raises(CommandError, match="use a fresh database"):
        call_command("load_appendix_ix", "--scale", "2")
    assert InformationSystem.objects.count() == 7008


def test_demo_users_one_per_role_printed_once(baseline, capsys):
    # The suite runs with DEBUG off, as production does (tests/test_settings.py).
    call_command("create_demo_users", "--i-know-this-is-not-production")
    first = capsys.readouterr().out
    assert first.count("password:") == 4
    call_command("create_demo_users", "--i-know-this-is-not-production")
    assert "password:" not in capsys.readouterr().out
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"national_admin", "officer", "viewer", "manager"}


def test_level_mix_follows_june_2024(baseline):
    counts = {
        level: InformationSystem.objects.filter(proposed_level=level).count()
        for level in range(1, 6)
    }
    # 7,008 systems in the 3,309/2,914/955/23/5 proportions of 7,206.
    assert counts == {1: 3218, 2: 2834, 3: 929, 4: 22, 5: 5}
    assert datetime.date(2024, 6, 30) == CUTOFF


def test_the_loader_leaves_the_planner_statistics_of_what_it_loaded(db):
    """PostgreSQL advises ANALYZE after a bulk load: until then the planner takes the registry
    for a handful of rows and joins units to systems row by row (docs/scaling.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the planner statistics read here are PostgreSQL's")
    load_appendix_ix()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s",
            [InformationSystem._meta.db_table],
        )
        assert cursor.fetchone()[0] == InformationSystem.objects.count() == 7008
