"""The unit page's tables are cached for the page as first opened only (compliance/views.py):
a parameter nobody reads, a filter, a page size or an invalid date renders afresh, so that no
one fills the cache (shared with the Celery broker) with a copy per made-up query.

(Found by a hostile review of issue 17: keyed by the raw query string, one viewer could store
both tables again on every request.)
"""

import pytest

from compliance import figures_cache
from registry import data_version
from registry.models import Role
from tests.factories import SystemFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_version():
    data_version.bump_data_version()


class RecordingCache:
    def __init__(self, cache):
        self._cache = cache
        self.stored = {}

    def set(self, key, value, *args, **kwargs):
        self.stored[key] = len(str(value))
        return self._cache.set(key, value, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cache, name)


def test_parameters_nothing_reads_do_not_each_store_the_tables_again(client, monkeypatch):
    province = UnitFactory(name="Tỉnh Rác")
    for _ in range(30):
        SystemFactory(owner=province)
    client.force_login(user_with_role(Role.VIEWER, province))
    recording = RecordingCache(figures_cache.cache)
    monkeypatch.setattr(figures_cache, "cache", recording)

    for n in range(20):
        response = client.get(f"/units/{province.code}/", {"o-per_page": 500, "junk": n})
        assert response.status_code == 200
    tables = {key: size for key, size in recording.stored.items() if ":table-html:" in key}
    # The same two tables, whatever "junk" says. Here: 40 entries, ~28 kB of outstanding
    # table each for 30 systems (~950 bytes a row: ~475 kB per request at 500 rows).
    assert len(tables) <= 2, (len(tables), sum(tables.values()))


def test_an_invalid_or_repeated_date_renders_afresh_and_a_valid_one_is_cached(client, monkeypatch):
    province = UnitFactory(name="Tỉnh Ngày")
    SystemFactory(owner=province)
    client.force_login(user_with_role(Role.VIEWER, province))
    recording = RecordingCache(figures_cache.cache)
    monkeypatch.setattr(figures_cache, "cache", recording)

    def stored_after(query):
        recording.stored.clear()
        assert client.get(f"/units/{province.code}/" + query).status_code == 200
        return len([key for key in recording.stored if ":table-html:" in key])

    for query in ("?as_of=31/02/2024", "?as_of=2099-01-01", "?as_of=1&as_of=2", "?as_of=x%20"):
        assert stored_after(query) == 0, query
    assert stored_after("?as_of=30/06/2024") == 2
    assert stored_after("") == 2
