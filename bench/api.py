"""The REST API at 1x and 10x: the systems list's query count (the same at every scale and
page), and the summary endpoint timed against compliance_summary's selector alone (target:
within 1.5x, the rest being authentication, JSON and the request itself)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from bench.common import best_of
from compliance.selectors import compliance_summary
from registry.api.actions import issue_token
from registry.models import Membership, Role, Unit

LARGEST_UNIT = "P38"  # Thanh Hóa: 856 systems at 1x


def _token(username, role, unit=None):
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, role=role, unit=unit)
    StaticDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    expires_on = timezone.localdate() + datetime.timedelta(days=1)
    _, raw = issue_token(actor=user, label="bench", expires_on=expires_on)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(captured), response.json()


def run(ctx):
    unit = Unit.objects.get(code=LARGEST_UNIT)
    viewer = _token("bench-api-viewer", Role.VIEWER, unit)
    national = _token("bench-api-national", Role.NATIONAL_ADMIN)
    viewer.get("/api/v1/units/")  # the token's first use is noted once, not in the counts
    national.get("/api/v1/units/")

    first, page = _queries(viewer, f"/api/v1/systems/?unit={unit.code}&page_size=100")
    ctx.report(f"API systems list {unit.code}, page 1 queries", first)
    following, _ = _queries(viewer, page["next"])
    ctx.report(f"API systems list {unit.code}, page 2 queries", following)
    largest, _ = _queries(national, "/api/v1/systems/?page_size=1000")
    ctx.report("API systems list national, 1000 rows queries", largest)

    today = timezone.localdate()
    _compare_interleaved(
        ctx,
        "API summary national vs selector",
        lambda: national.get("/api/v1/summary/").json(),
        lambda: compliance_summary(as_of=today).as_dict(),
    )
    _compare_interleaved(
        ctx,
        f"API summary {unit.code} vs selector",
        lambda: viewer.get(f"/api/v1/summary/?unit={unit.code}").json(),
        lambda: compliance_summary(as_of=today, unit=unit).as_dict(),
    )


def _compare_interleaved(ctx, label, endpoint, selector, repeat=10):
    """Best of `repeat` each, the two run alternately: a machine shared with other work slows
    both alike, rather than whichever happened to run during a busy spell."""
    endpoint_times, selector_times = [], []
    for _ in range(repeat):
        endpoint_times.append(best_of(endpoint, repeat=1))
        selector_times.append(best_of(selector, repeat=1))
    ctx.ratio(label, min(endpoint_times), min(selector_times), target=1.5)
