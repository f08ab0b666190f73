"""A write committed by another worker while a page is reading must not hide behind figures
or tables cached from before it (registry/data_version.py pins the version a request read
first). Each test lands such a write mid-request, from another thread with its own database
connection, as another gunicorn worker would; then a second view must show it.

(Found by a hostile review of issue 17's caches: the unit page's tables and the national
inspections were filed under the version read after the write.)
"""

import threading

import pytest

from compliance import views
from registry import data_version
from registry.models import Role, Unit
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_version():
    data_version.bump_data_version()


def another_worker(write):
    """Run `write` in another thread (its own connection, its own request context)."""
    from django.db import connection

    def run():
        try:
            write()
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()


def test_a_rename_committed_while_a_unit_page_renders_shows_on_the_next_view(client, monkeypatch):
    province = UnitFactory(name="Tỉnh Đua")
    department = SubUnitFactory(parent=province, name="Sở Tên Cũ")
    SystemFactory(owner=department, code="R-1")
    client.force_login(user_with_role(Role.VIEWER, province))
    original = views._unit_context

    def rename():
        renamed = Unit.objects.get(pk=department.pk)
        renamed.name = "Sở Tên Mới"
        renamed.save()

    def write_meanwhile(unit, figures, as_of):
        another_worker(rename)  # after the breakdown was read, before the tables render
        return original(unit, figures, as_of)

    monkeypatch.setattr(views, "_unit_context", write_meanwhile)
    assert client.get(f"/units/{province.code}/").status_code == 200
    monkeypatch.setattr(views, "_unit_context", original)

    later = client.get(f"/units/{province.code}/").content.decode()
    subunit_table = later.split('class="table figures sticky-first"', 1)[1].split("</table>")[0]
    assert "Sở Tên Cũ" not in subunit_table
    assert "Sở Tên Mới" in subunit_table


def test_a_unit_created_while_the_national_page_renders_shows_in_its_inspections(
    client, monkeypatch
):
    UnitFactory(name="Tỉnh Có Sẵn")
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    original = views._national_data

    def write_meanwhile(request):
        data = original(request)  # the summary is read (and cached) here
        another_worker(lambda: UnitFactory(name="Tỉnh Mới Lập"))
        return data

    monkeypatch.setattr(views, "_national_data", write_meanwhile)
    assert client.get("/national/").status_code == 200
    monkeypatch.setattr(views, "_national_data", original)

    page = client.get("/national/").content.decode()
    assert "Tỉnh Mới Lập" in page
    overdue_list = page.split('id="assessments-overdue"', 1)[1].split("</section>")[0]
    assert "Tỉnh Mới Lập" in overdue_list  # never assessed: overdue


def test_a_write_of_the_request_itself_shows_in_what_it_reads_next():
    """A request that writes, then reads figures, reads them as of its own write."""
    from compliance import figures_cache
    from tests.figures_cache.test_invalidation import AS_OF

    province = UnitFactory(name="Tỉnh Tự Ghi")
    with data_version.pinned_data_version():
        assert figures_cache.summary(AS_OF).national.total == 0
        SystemFactory(owner=province)  # committed: the pin moves on
        assert figures_cache.summary(AS_OF).national.total == 1
