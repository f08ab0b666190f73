"""The import's creation history, copied by the database (registry/history_copy.py), is the very
set of rows simple-history's bulk_history_create writes for the same systems, column by column."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from registry.history_copy import copy_created_history
from registry.models import ImportBatch, ImportStatus, InformationSystem
from tests.factories import SystemFactory, UnitFactory, UserFactory

from .conftest import basic_csv, run_import


@pytest.fixture
def fresh_systems(db):
    """Systems just written by bulk_create, as the import writes them: a draft, an approved
    system run by another unit and a fully deployed one, with text that needs quoting."""
    owner, operator = UnitFactory(), UnitFactory()
    built = [
        SystemFactory.build(owner=owner, name="Hệ thống “trích dẫn” it's; -- %s"),
        SystemFactory.build(owner=owner, operator=operator, approved=True, proposed_level=3),
        SystemFactory.build(owner=operator, deployed=True, proposed_level=4, decision_number="7/Q"),
    ]
    return InformationSystem.objects.bulk_create(built)


def history_rows(systems):
    rows = InformationSystem.history.filter(id__in=[system.pk for system in systems])
    return [
        {name: value for name, value in row.items() if name != "history_id"}
        for row in rows.order_by("history_id").values()
    ]


def test_the_copied_rows_are_the_rows_simple_history_writes(fresh_systems):
    user = UserFactory()
    batch = ImportBatch.objects.create(user=user, file_name="a.csv", status=ImportStatus.APPLIED)
    when = timezone.now() - datetime.timedelta(minutes=5)
    reason = "Import #1: a.csv"
    copy_created_history(
        InformationSystem,
        fresh_systems,
        {
            "history_date": when,
            "history_user": user,
            "history_change_reason": reason,
            "import_batch": batch,
            "api_token": None,
        },
    )
    copied = history_rows(fresh_systems)
    InformationSystem.history.all().delete()
    InformationSystem.history.bulk_history_create(
        fresh_systems,
        default_user=user,
        default_change_reason=reason,
        default_date=when,
        custom_historical_attrs={"import_batch": batch},
    )
    assert len(copied) == 3
    assert copied == history_rows(fresh_systems)


def test_a_history_column_left_without_a_value_is_an_error_not_a_null(fresh_systems):
    with pytest.raises(ValueError, match="import_batch"):
        copy_created_history(
            InformationSystem,
            fresh_systems,
            {
                "history_date": timezone.now(),
                "history_user": None,
                "history_change_reason": "",
                "api_token": None,
            },
        )
    assert not InformationSystem.history.exists()


def test_unsaved_systems_get_no_history(db):
    with pytest.raises(ValueError, match="saved"):
        copy_created_history(InformationSystem, [SystemFactory.build()], {})


def test_an_import_of_more_than_one_batch_gives_each_new_system_one_creation_row(
    two_units, officer_a
):
    rows = [[f"NEW-{n}", f"Hệ thống {n}", "Tỉnh A", "2", "15/01/2024"] for n in range(2500)]
    report = run_import(basic_csv(*rows), officer_a)
    assert report.ok and report.created == 2500
    history = InformationSystem.history.filter(import_batch=report.batch)
    assert history.count() == 2500
    assert set(history.values_list("history_type", "history_user")) == {("+", officer_a.pk)}
    created = InformationSystem.objects.filter(code__startswith="NEW-")
    assert sorted(history.values_list("id", "code", "name")) == sorted(
        created.values_list("id", "code", "name")
    )


def _import_three(officer_a):
    rows = [[f"NEW-{n}", f"Hệ thống {n}", "Tỉnh A", "2", "15/01/2024"] for n in range(3)]
    report = run_import(basic_csv(*rows), officer_a)
    assert report.ok and report.created == 3
    history = InformationSystem.history.filter(import_batch=report.batch)
    return sorted(history.values_list("code", "history_type", "history_user"))


def test_a_database_that_gives_back_no_ids_gets_the_same_history(two_units, officer_a, monkeypatch):
    """SQLite before 3.35 returns no ids from a bulk insert: simple-history writes the rows."""
    features = type(connection.features)
    monkeypatch.setattr(features, "can_return_rows_from_bulk_insert", False)
    expected = [(f"NEW-{n}", "+", officer_a.pk) for n in range(3)]
    assert _import_three(officer_a) == expected


def test_batches_stay_under_the_databases_parameter_limit(two_units, officer_a, monkeypatch):
    # The copy's 6 history values and 2 ids: the 3 new systems take two statements.
    monkeypatch.setattr(connection.features, "max_query_params", 8)
    statements = []

    def record(execute, sql, params, many, context):
        if sql.startswith(f'INSERT INTO "{InformationSystem.history.model._meta.db_table}"'):
            statements.append(len(params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert [code for code, *_ in _import_three(officer_a)] == ["NEW-0", "NEW-1", "NEW-2"]
    assert statements == [8, 7]
