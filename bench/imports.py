"""Import benchmarks: rows/s of the dry run and the real import of the whole baseline (as new
codes), against a bare bulk_create of the same rows (and, for the real import, also against
that bulk_create plus simple-history's history rows), with query counts; then (at 1x) the peak
memory and time of refusing zip bombs and of a 20,000-row import.

Every timed run is rolled back, so the database is left as the registry section loaded it.
Peak memory is measured by tracemalloc in a separate run (it slows what it traces), as the
largest Python-level allocation during the run; the time is measured without it.
"""

import copy
import csv
import io
import itertools
import tempfile
import tracemalloc

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
    # Runs of a few seconds on a shared machine: the best of five at 1x (of one at 10x).
    repeat = 5 if ctx.scale == 1 else 1
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, IMPORT_MAX_BYTES=2**31, IMPORT_MAX_ROWS=10**7),
    ):
        bare = best_of(_rolled_back(lambda: _bare_bulk_create(systems)), repeat)
        history = best_of(_rolled_back(lambda: _bare_bulk_create(systems, history=True)), repeat)
        # Targets: issue 10's for the dry run, issue 17's for the real import.
        for label, dry_run, target in (("dry run", True, 6), ("real import", False, 3)):
            counted = _Counter()
            seconds = best_of(_rolled_back(counted(lambda d=dry_run: _import(csv_data, d))), repeat)
            ctx.ratio(f"import {label} (CSV) vs bare bulk_create", seconds, bare, target=target)
            ctx.report(f"import {label}: rows per second", f"{rows / seconds:,.0f}", "rows/s")
            ctx.report(f"import {label}: queries for {rows:,} rows", counted.queries)
        # The real import writes each system's history row too: against a bare side that does.
        label = "import real import vs bare bulk_create + simple-history rows"
        ctx.ratio(label, seconds, history)
        if ctx.scale == 1:
            xlsx_data = _xlsx_from(csv_data)
            seconds = best_of(_rolled_back(lambda: _import(xlsx_data, True, "bench.xlsx")), 1)
            ctx.ratio("import dry run (XLSX) vs bare bulk_create", seconds, bare)
            ctx.report("import dry run (XLSX): rows per second", f"{rows / seconds:,.0f}", "rows/s")
    if ctx.scale == 1:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            _hostile_files(ctx)
            _twenty_thousand_rows(ctx, csv_data)


REFUSED_MEMORY_CAP = 300 * 1024 * 1024  # issue 10: any refused file stays under 300 MB


def _hostile_files(ctx):
    from tests.imports import corpus

    bomb = corpus.bomb(2 * 1024**3)  # 2 GiB of sheet XML in a few MB: refused by its sizes
    lying = corpus.lying_sizes(corpus.bomb(1024**3))  # declares 1 KB per part: caught unpacking
    strings = corpus.shared_strings_flood(1_500_000)  # 36 MB of distinct shared strings
    ctx.report("zip bomb: file size -> unpacked", f"{len(bomb) / 1024:,.0f} KB -> 2,048 MB")
    for label, data, limits in (
        ("zip bomb (2 GiB declared)", bomb, {}),
        ("shared strings flood (1.5M)", strings, {}),
        ("zip bomb (sizes lying)", lying, {}),
        # Container limits lifted: the streaming parse must stop at the row limit by itself.
        (
            "zip bomb (limits lifted, 13M rows)",
            bomb,
            {
                "IMPORT_XLSX_MAX_TOTAL_BYTES": 2**40,
                "IMPORT_XLSX_MAX_ENTRY_BYTES": 2**40,
                "IMPORT_XLSX_MAX_RATIO": 10**9,
            },
        ),
    ):
        with override_settings(**limits):
            seconds, peak = _measured(lambda d=data: _refused(d))
        verdict = "ok" if peak < REFUSED_MEMORY_CAP else "OVER 300 MB"
        ctx.report(f"{label}: refused in", f"{seconds:.2f} s, peak {_mb(peak)} ({verdict})")


def _twenty_thousand_rows(ctx, csv_data):
    rows = list(csv.reader(io.StringIO(csv_data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    big = [header]
    for number, row in zip(range(20_000), itertools.cycle(body)):
        big.append([f"BIG-{number:05d}", *row[1:]])
    xlsx_data = _xlsx_from(_csv_from(big))
    for label, data, name in (("CSV", _csv_from(big), "big.csv"), ("XLSX", xlsx_data, "big.xlsx")):
        seconds, peak = _measured(_rolled_back(lambda d=data, n=name: _import(d, False, n)))
        ctx.report(f"import 20,000 rows ({label}), real run", f"{seconds:.2f} s, peak {_mb(peak)}")


def _refused(data):
    report = import_systems(io.BytesIO(data), "bomb.xlsx", None, dry_run=True)
    assert report.file_error and not report.failed, report.summary()


def _measured(fn):
    """(seconds of an untraced run, peak bytes traced by tracemalloc in a second run)."""
    seconds = best_of(fn, 1)
    tracemalloc.start()
    try:
        fn()
        return seconds, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _mb(size):
    return f"{size / 1024 / 1024:,.1f} MB"


def _csv_from(rows):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _import(data, dry_run, name="bench.csv"):
    report = import_systems(io.BytesIO(data), name, None, dry_run=dry_run)
    assert report.ok and report.created == report.total_rows, report.summary()


def _bare_bulk_create(systems, history=False):
    fresh = []
    for system in systems:
        clone = copy.copy(system)
        clone.pk, clone.code = None, PREFIX + system.code
        fresh.append(clone)
    InformationSystem.objects.bulk_create(fresh, batch_size=1000)
    if not history:
        return
    # The history rows as simple-history writes them (the audit trail of who imported what).
    InformationSystem.history.bulk_history_create(fresh, batch_size=1000)


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
    return _csv_from(rows)


def _xlsx_from(csv_data):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in csv.reader(io.StringIO(csv_data.decode("utf-8-sig"))):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
