"""Registry benchmarks: the baseline load, the compliance summary, the admin list.

prepare(ctx) leaves the baseline loaded at ctx.scale for the other sections.
"""

import datetime
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.common import LARGE_SCALE, best_of, count_queries, signed_in
from compliance.selectors import compliance_summary
from registry.baseline import build_systems, ensure_units, load_appendix_ix, read_appendix_ix
from registry.exports import FORMATS, export_chunks
from registry.models import InformationSystem, Membership, Role

# The floor: the same three reads as the selector (units, unit changes, figures by owning
# unit and level in force, re-determinations included), with none of the Python that maps
# owners to the units of the date.
BARE_SUMMARY_SQL = """
SELECT CASE WHEN s.owner_since > %(d)s THEN s.previous_owner_id ELSE s.owner_id END,
       COALESCE(
           (SELECT r.approved_level FROM dossiers_dossierround r
             WHERE r.system_id = s.id AND r.decision_date <= %(d)s
             ORDER BY r.decision_date DESC, r.number DESC LIMIT 1),
           CASE WHEN s.decision_date <= %(d)s THEN s.approved_level ELSE s.proposed_level END
       ) AS level,
       COUNT(*),
       COUNT(CASE WHEN s.decision_date <= %(d)s THEN 1 END),
       COUNT(CASE WHEN s.deployed_full_on <= %(d)s THEN 1 END)
FROM registry_informationsystem s
WHERE s.declared_on <= %(d)s AND (s.retired_on IS NULL OR s.retired_on > %(d)s)
GROUP BY 1, 2
"""
# Every unit (the structure of a date is computed from all of them, issue 13).
BARE_UNITS_SQL = (
    'SELECT id, code, name, kind, "group", sort_order, parent_id, established_on '
    'FROM registry_unit ORDER BY "group", sort_order, name'
)
BARE_CHANGES_SQL = (
    "SELECT id, kind, unit_id, successor_id, old_parent_id, new_parent_id, old_name, new_name, "
    "effective_on FROM reorganisation_unitchange WHERE cancelled_at IS NULL"
)


def prepare(ctx):
    """Time the loader against a bare bulk_create of the same rows; leave the baseline loaded.
    At 100x only the loader runs (the bare load would double a long preparation)."""
    call_command("flush", interactive=False, verbosity=0)
    if ctx.scale >= LARGE_SCALE:
        _load(ctx)
        return
    published = read_appendix_ix()
    units, _ = ensure_units(published)
    rows = build_systems(published, units, scale=ctx.scale)
    start = time.perf_counter()
    InformationSystem.objects.bulk_create(rows, batch_size=2000)
    # The loader writes each system's first history row too (issue 10): so does the baseline.
    InformationSystem.history.bulk_history_create(rows, batch_size=2000)
    bare = time.perf_counter() - start
    call_command("flush", interactive=False, verbosity=0)
    seconds = _load(ctx)
    ctx.ratio("load_appendix_ix vs bare bulk_create", seconds, bare, target=3)


def _load(ctx):
    """The product's loader at ctx.scale, then today's structure as `make run` leaves it (the
    bundled 2025 reorganisation recorded); returns the loader's seconds."""
    start = time.perf_counter()
    result = load_appendix_ix(scale=ctx.scale)
    seconds = time.perf_counter() - start
    call_command("apply_unit_changes", verbosity=0, stdout=_Quiet())
    ctx.report("systems loaded per second", f"{result.systems_created / seconds:,.0f}", "systems/s")
    return seconds


def run(ctx):
    today = timezone.localdate()

    def bare_summary(day=today):
        with connection.cursor() as cursor:
            cursor.execute(BARE_SUMMARY_SQL, {"d": day})
            cursor.fetchall()
            cursor.execute(BARE_UNITS_SQL)
            cursor.fetchall()
            cursor.execute(BARE_CHANGES_SQL)
            cursor.fetchall()

    ctx.compare(
        "compliance_summary (dated structure, 56 units) vs bare SQL",
        lambda: compliance_summary(as_of=today).as_dict(),
        bare_summary,
        repeat=5,
        target=3,
    )
    before = datetime.date(2024, 6, 30)
    ctx.compare(
        "compliance_summary as of 30/06/2024 (91 units) vs bare SQL",
        lambda: compliance_summary(as_of=before).as_dict(),
        lambda: bare_summary(before),
        repeat=5,
        target=3,
    )
    ctx.report("compliance_summary queries", count_queries(lambda: compliance_summary()))
    _admin_list(ctx)
    if ctx.scale <= 10:
        _system_export(ctx)


def _system_export(ctx):
    """The export of every system, consumed chunk by chunk as a streaming response is: its time
    and the peak of Python memory (tracemalloc, in a second run) while it streams."""
    systems = InformationSystem.objects.all()
    count = systems.count()
    for fmt in FORMATS:

        def stream(fmt=fmt):
            return sum(len(chunk) for chunk in export_chunks(systems, fmt))

        seconds = best_of(stream, 1)
        tracemalloc.start()
        try:
            size = stream()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        ctx.report(
            f"export of all {count:,} systems ({fmt}), streamed",
            f"{seconds:.2f} s, {size / 2**20:,.1f} MB out, peak {peak / 2**20:,.1f} MB",
        )


def _admin_list(ctx):
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True}
    )
    Membership.objects.get_or_create(user=user, role=Role.NATIONAL_ADMIN, unit=None)
    client = signed_in(user)
    url = "/admin/registry/informationsystem/"

    def page():
        assert client.get(url).status_code == 200

    ctx.report("admin list page queries", count_queries(page))
    ctx.report("admin list page time", f"{best_of(page, 5) * 1000:.1f}", "ms")
    ctx.report(
        "admin list page queries (search 'ha noi')",
        count_queries(lambda: client.get(url, {"q": "ha noi"})),
    )


class _Quiet:
    def write(self, text):
        pass
