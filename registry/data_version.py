"""The data version: a number in Django's cache that every write to the figures' data changes.

Cached figures (compliance/figures_cache.py) carry the version in their key, so a write makes
every figure cached before it unreachable at once: no stale figure after a change, and no list
of keys to delete. Saves and deletes of systems, units, unit changes, snapshots, deadline
campaigns, re-determination rounds, inspections and organisation assessments bump it through
signals (registry/apps.py connects them); writes that send no signal
(bulk creates and updates, queryset updates) call `bump_data_version()` themselves: the
import, the baseline loader, the cancelling of a unit change, the snapshot task.

The bump runs when the transaction commits: bumped earlier, a reader could cache the data of
before the commit under the new version. A rolled-back transaction bumps nothing (nothing
changed). Several writes in one transaction bump once.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

VERSION_KEY = "figures:data-version"

# The version a request read before reading any data (pinned_data_version): a figure cached
# under a version must not be older than that version, or a write committed while a request was
# reading would stay hidden behind figures cached from before it.
_pinned = ContextVar("pinned_data_version", default=None)


def data_version():
    """The version pinned for this request, else the current one."""
    pinned = _pinned.get()
    return _read_version() if pinned is None else pinned


@contextmanager
def pinned_data_version():
    """Within it, data_version() answers the version read on entering: a request reads it
    first, so everything it reads afterwards is at least as new as the version it caches
    under. A write committed within moves the pin on (see _bump_now)."""
    token = _pinned.set(_read_version())
    try:
        yield
    finally:
        _pinned.reset(token)


def _read_version():
    """The current version. When the key is missing (a fresh or flushed cache, an eviction),
    it starts from the clock, so that it never repeats a number some cached figure carries."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump_now():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key is missing: any new number will do
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    if _pinned.get() is not None:  # this request wrote: what it reads next is newer
        _pinned.set(_read_version())


def bump_data_version(using=DEFAULT_DB_ALIAS):
    """Change the version once the current transaction commits (at once outside one)."""
    if not _bump_pending(using):
        transaction.on_commit(_bump_now, using=using)


def _bump_pending(using):
    connection = connections[using]
    return connection.in_atomic_block and any(
        entry[1] is _bump_now for entry in connection.run_on_commit
    )


def bump_on_write(sender, **kwargs):
    """Signal receiver: any save or delete of a model the figures depend on."""
    if kwargs.get("raw"):
        return  # loaddata: fixtures are loaded before anything is cached
    bump_data_version(kwargs.get("using") or DEFAULT_DB_ALIAS)
