"""The bare floor of the national page: the same summary SQL (bench/registry.py) rendered by a
plain Django template of the 91 reporting units with the same columns, behind the same sign-in
and middleware. Reachable only through bench/urls.py, which the bench and `make loadtest` use;
production's URLs (compliance/urls.py) never include it."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpResponse
from django.template import engines
from django.utils import timezone

from bench.registry import BARE_SUMMARY_SQL, BARE_UNITS_SQL

TEMPLATE = engines["django"].from_string(
    (Path(__file__).parent / "templates" / "floor.html").read_text()
)


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def floor_rows(as_of):
    """One row per reporting unit: its systems' figures summed over its owning units."""
    with connection.cursor() as cursor:
        cursor.execute(BARE_UNITS_SQL)
        units = cursor.fetchall()
        cursor.execute(BARE_SUMMARY_SQL, {"d": as_of})
        figures = cursor.fetchall()
    sums = {}
    for reporting_unit_id, _level, total, approved, deployed in figures:
        row = sums.setdefault(reporting_unit_id, [0, 0, 0])
        row[0] += total
        row[1] += approved
        row[2] += deployed
    rows = []
    for pk, code, name, _kind, _group, sort_order, parent_id, _established in units:
        if parent_id is not None:
            continue
        total, approved, deployed = sums.get(pk, (0, 0, 0))
        rows.append(
            {
                "number": sort_order,
                "code": code,
                "name": name,
                "total": total,
                "approved": approved,
                "approval_rate": _rate(approved, total),
                "fully_deployed": deployed,
                "deployment_rate": _rate(deployed, total),
                "deployed_of_approved_rate": _rate(deployed, approved),
            }
        )
    return rows


@login_required
@transaction.non_atomic_requests  # as the compliance pages: a read needs no transaction
def floor_view(request):
    as_of = timezone.localdate()
    context = {"rows": floor_rows(as_of), "as_of": as_of}
    return HttpResponse(TEMPLATE.render(context, request))
