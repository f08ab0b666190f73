"""What every benchmark section uses: timing against a bare baseline measured in the same run."""

import statistics
import time
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

# About 700,000 systems: only the figures that must hold there run (bench/run.py), not in CI.
LARGE_SCALE = 100


def best_of(fn, repeat=3):
    """The fastest of `repeat` runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def signed_in(user):
    """A test client signed in as `user`, past the second factor national and account
    administrators owe (registry/accounts/second_factor.py), as after a real sign-in."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from registry.accounts.second_factor import ENROLLED_SESSION_KEY, must_use_second_factor

    client = Client()
    client.force_login(user)
    if must_use_second_factor(user):
        device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[ENROLLED_SESSION_KEY] = True
        session.save()
    return client


def count_queries(fn):
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


@dataclass
class BenchContext:
    scale: int
    results: list = field(default_factory=list)

    def compare(self, label, fn, baseline_fn, repeat=3, target=None):
        """Time fn against baseline_fn; print and keep the ratio."""
        return self.ratio(label, best_of(fn, repeat), best_of(baseline_fn, repeat), target)

    def ratio(self, label, seconds, baseline, target=None):
        """Print and keep a ratio of two times measured by the caller."""
        ratio = seconds / baseline if baseline else float("inf")
        verdict = "" if target is None else ("  ok" if ratio <= target else f"  OVER {target}x")
        self.results.append((self.scale, label, seconds, baseline, ratio))
        print(
            f"  [{self.scale:>2}x] {label:<46} {seconds * 1000:9.1f} ms"
            f"  bare {baseline * 1000:9.1f} ms  ratio {ratio:5.2f}{verdict}"
        )
        return ratio

    def report(self, label, value, unit=""):
        self.results.append((self.scale, label, value, None, None))
        print(f"  [{self.scale:>2}x] {label:<46} {value} {unit}")

    def median(self, values):
        return statistics.median(values)
