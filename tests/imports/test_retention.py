"""Stored files of dry runs and refused imports are deleted after the retention period; the files
of applied imports are kept."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from registry.models import ImportBatch, ImportStatus
from registry.tasks import purge_import_files
from tests.imports import corpus
from tests.imports.conftest import basic_csv, run_import

pytestmark = pytest.mark.django_db


def _age(report, days):
    when = timezone.now() - datetime.timedelta(days=days)
    ImportBatch.objects.filter(pk=report.batch.pk).update(created_at=when)
    return report.batch.source.name


def test_expired_files_of_dry_and_refused_runs_are_deleted(two_units, national_admin, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    old_dry = _age(run_import(basic_csv(corpus.good_row(1)), national_admin, dry_run=True), 31)
    old_refused = _age(run_import(basic_csv(["", "x", "", "", ""]), national_admin), 31)
    recent_dry = _age(run_import(basic_csv(corpus.good_row(2)), national_admin, dry_run=True), 29)
    applied_data = basic_csv(corpus.good_row(3))
    old_dry_of_applied = _age(run_import(applied_data, national_admin, dry_run=True), 40)
    applied = _age(run_import(applied_data, national_admin), 40)
    assert old_dry_of_applied == applied  # one stored file per content

    purge_import_files()

    assert not default_storage.exists(old_dry) and not default_storage.exists(old_refused)
    assert default_storage.exists(recent_dry) and default_storage.exists(applied)
    sources = dict(ImportBatch.objects.values_list("status", "source").filter(source=""))
    assert set(sources) == {ImportStatus.DRY_RUN, ImportStatus.REJECTED}
    assert ImportBatch.objects.filter(source=applied).count() == 2


def test_confirming_a_dry_run_whose_file_is_gone_asks_for_it_again(two_units, national_admin):
    from registry.imports import confirm_import

    report = run_import(basic_csv(corpus.good_row(1)), national_admin, dry_run=True)
    default_storage.delete(report.batch.source.name)
    confirmed = confirm_import(report.batch, national_admin)
    assert confirmed.file_error == "The file of this dry run is no longer kept; upload it again."
    assert confirmed.batch.status == ImportStatus.REJECTED
