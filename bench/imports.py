"""Import benchmarks: rows/s of the dry run and the real import of the whole baseline (as new
codes), against a bare bulk_create of the same rows, with query counts.

Every timed run is rolled back, so the database is left as the registry section loaded it.
"""

import copy
import csv
import io
import tempfile

from django.db import connection, transaction
from django.test import override_settings

from bench.common import best_of
from registry.exports import export_systems
from registry.imports import import_systems
from registry.models import InformationSystem

PREFIX = "BENCH-"


def run(ctx):
    systems = list(InformationSystem.objects.all())
    rows = len(systems)
    csv_data = _with_new_codes(export_systems(InformationSystem.objects.all(), "csv"))
    repeat = 3 if ctx.scale == 1 else 1
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, IMPORT_MAX_BYTES=2**31, IMPORT_MAX_ROWS=10**7),
    ):
        bare = best_of(_rolled_back(lambda: _bare_bulk_create(systems)), repeat)
        for label, dry_run, target in (("dry run", True, 6), ("real import", False, 12)):
            counted = _Counter()
            seconds = best_of(_rolled_back(counted(lambda d=dry_run: _import(csv_data, d))), repeat)
            ctx.ratio(f"import {label} (CSV) vs bare bulk_create", seconds, bare, target=target)
            ctx.report(f"import {label}: rows per second", f"{rows / seconds:,.0f}", "rows/s")
            ctx.report(f"import {label}: queries for {rows:,} rows", counted.queries)
        if ctx.scale == 1:
            xlsx_data = _xlsx_from(csv_data)
            seconds = best_of(_rolled_back(lambda: _import(xlsx_data, True, "bench.xlsx")), 1)
            ctx.ratio("import dry run (XLSX) vs bare bulk_create", seconds, bare)
            ctx.report("import dry run (XLSX): rows per second", f"{rows / seconds:,.0f}", "rows/s")


def _import(data, dry_run, name="bench.csv"):
    report = import_systems(io.BytesIO(data), name, None, dry_run=dry_run)
    assert report.ok and report.created == report.total_rows, report.summary()


def _bare_bulk_create(systems):
    fresh = []
    for system in systems:
        clone = copy.copy(system)
        clone.pk, clone.code = None, PREFIX + system.code
        fresh.append(clone)
    InformationSystem.objects.bulk_create(fresh, batch_size=1000)


def _rolled_back(fn):
    def run():
        with transaction.atomic():
            fn()
            transaction.set_rollback(True)

    return run


class _Counter:
    """Wraps a function to count the queries of its last run."""

    def __init__(self):
        self.queries = 0

    def __call__(self, fn):
        def counted():
            calls = []

            def count(execute, sql, params, many, context):
                calls.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                fn()
            self.queries = len(calls)

        return counted


def _with_new_codes(data):
    """The exported file with every code prefixed, so that importing it creates every row."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for row in rows[1:]:
        row[0] = PREFIX + row[0]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_from(csv_data):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in csv.reader(io.StringIO(csv_data.decode("utf-8-sig"))):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
