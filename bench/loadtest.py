#!/usr/bin/env python
"""`make loadtest`: the product under concurrent load, against the bare floor page, in one run.

In a scratch PostgreSQL database (dropped at the end) it loads the Appendix IX baseline (1x, or
--scale), records six monthly snapshots for the forecasts, signs in --sessions national
administrators (sessions written directly, second factor passed), and starts gunicorn with the
production settings (debug off, the README's limits) on 127.0.0.1, the URL conf adding only the
floor page (bench/loadtest_settings.py). Then, for --seconds each:

1. the product mix: every session cycles the national page, a few as-of dates of it, unit pages
   and the admin list of systems;
2. the floor: every session asks the bare floor page (bench/floor.py).

It prints requests/s, p50/p95/p99 and errors for each, and the ratio of their throughputs.
Traffic goes only to 127.0.0.1; the clients stop by themselves after --seconds; gunicorn is
stopped and the database dropped whatever happens.

Usage: DATABASE_URL=postgres://... [REDIS_URL=redis://...] python bench/loadtest.py
       [--seconds 60] [--sessions 50] [--workers 4] [--threads 1] [--scale 1]
"""

import argparse
import asyncio
import datetime
import io
import logging
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SETTINGS = "bench.loadtest_settings"
HOST = "127.0.0.1"
AS_OF_DATES = ("2024-06-30", "2024-09-30", "2025-06-30")
UNIT_CODES = ("P38", "P01", "P79", "B08", "B13")


def main():
    args = _arguments()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("make loadtest runs against PostgreSQL: set DATABASE_URL=postgres://...")
    # The same random key for this process (which writes the sessions) and gunicorn's workers.
    os.environ.update(
        DJANGO_SETTINGS_MODULE=SETTINGS, DJANGO_DEBUG="off", SECRET_KEY=secrets.token_urlsafe(50)
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"loadtest_{old_name}"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        cookies = _prepare(args.scale, args.sessions)
        call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()
        server = _start_gunicorn(args, _with_database(database_url, name))
        try:
            _run_both(args, server.port, cookies)
        finally:
            server.stop()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--scale", type=int, default=1)
    return parser.parse_args()


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


# The data and the signed-in sessions ---------------------------------------------------------


def _prepare(scale, sessions):
    from django.core.management import call_command
    from django.utils import timezone

    from compliance.trends import month_ends, record_snapshots
    from registry.baseline import load_appendix_ix

    print(f"loading the baseline at {scale}x ...", flush=True)
    load_appendix_ix(scale=scale)
    call_command("apply_unit_changes", verbosity=0, stdout=io.StringIO())
    today = timezone.localdate()
    for day in month_ends(today - datetime.timedelta(days=180), today):
        record_snapshots(day)
    return [_signed_in_cookie(f"loadtest-{number}") for number in range(sessions)]


def _signed_in_cookie(username):
    """A session of a national administrator past both sign-in steps, as the login view and
    the second-factor step leave it; returns the Cookie header of its browser."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from registry.accounts.second_factor import ENROLLED_SESSION_KEY
    from registry.models import Membership, Role

    user = get_user_model().objects.create(username=username, is_staff=True)
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN, unit=None)
    device = StaticDevice.objects.create(user=user, name="load test")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[ENROLLED_SESSION_KEY] = True
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# gunicorn ------------------------------------------------------------------------------------


class _Server:
    def __init__(self, process, port):
        self.process, self.port = process, port

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _start_gunicorn(args, database_url):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback: no TLS to redirect to. Everything else as in production.
        "SECURE_SSL_REDIRECT": "off",
        "SECURE_HSTS_SECONDS": "0",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "compliance.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--timeout=120",
        "--limit-request-line=4094",
        "--limit-request-fields=100",
        "--log-level=warning",
    ]
    print(f"gunicorn: {args.workers} workers x {args.threads} threads on {HOST}:{port}")
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    server = _Server(process, port)
    try:
        _wait_until_up(port, process)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_up(port, process, seconds=60):
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            if httpx.get(f"http://{HOST}:{port}/login/", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within a minute")


# The load ------------------------------------------------------------------------------------


def product_mix(number):
    """The pages session `number` cycles: the national page (today and as of past dates),
    unit pages (today and as of a date), and the admin list of systems."""
    unit = UNIT_CODES[number % len(UNIT_CODES)]
    as_of = AS_OF_DATES[number % len(AS_OF_DATES)]
    return [
        "/national/",
        f"/units/{unit}/",
        f"/national/?as_of={as_of}",
        "/admin/registry/informationsystem/",
        f"/units/{unit}/?as_of={as_of}",
    ]


def floor_mix(number):
    from bench.urls import FLOOR_URL

    return [FLOOR_URL]


async def _session(client, cookie, paths, stop_at, results):
    index = 0
    while time.monotonic() < stop_at:
        path = paths[index % len(paths)]
        index += 1
        start = time.monotonic()
        try:
            response = await client.get(path, headers={"Cookie": cookie})
            ok = response.status_code == 200
        except Exception:  # a time-out or a dropped connection counts as an error
            ok = False
        results.append((time.monotonic() - start, ok))


async def _drive(port, cookies, mix, seconds):
    import httpx

    limits = httpx.Limits(max_connections=len(cookies), max_keepalive_connections=len(cookies))
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}", limits=limits, timeout=60, follow_redirects=False
    ) as client:
        results = []
        stop_at = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(
            *(
                _session(client, cookie, mix(number), stop_at, results)
                for number, cookie in enumerate(cookies)
            )
        )
        return results, time.monotonic() - started


def _summary(label, results, elapsed):
    times = sorted(seconds for seconds, _ok in results)
    errors = sum(1 for _seconds, ok in results if not ok)
    rate = len(results) / elapsed
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
    print(
        f"  {label:<8} {len(results):>6} requests  {rate:7.1f} req/s  "
        f"p50 {cuts[49] * 1000:7.0f} ms  p95 {cuts[94] * 1000:7.0f} ms  "
        f"p99 {cuts[98] * 1000:7.0f} ms  errors {errors}"
    )
    return rate, errors


def _run_both(args, port, cookies):
    print(f"{len(cookies)} signed-in sessions, {args.seconds} s each run")
    rates = {}
    for label, mix in (("product", product_mix), ("floor", floor_mix)):
        results, elapsed = asyncio.run(_drive(port, cookies, mix, args.seconds))
        rates[label], errors = _summary(label, results, elapsed)
    ratio = rates["product"] / rates["floor"] if rates["floor"] else float("inf")
    verdict = "ok" if ratio >= 0.5 else "UNDER 50%"
    print(f"  product throughput / floor throughput: {ratio:.2f} ({verdict})")


if __name__ == "__main__":
    main()
