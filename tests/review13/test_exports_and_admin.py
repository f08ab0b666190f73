"""Exports and the admin's change form across a merger, with hostile input."""

import csv
import io

from django.core.management import call_command

from registry.models import Role
from registry.reorganisation.models import UnitChange
from tests.factories import user_with_role

from .conftest import merge, today


def test_export_of_a_successor_includes_the_systems_it_took_over(provinces, tmp_path):
    """`export_systems --unit B` after A merged into B: the issue wants exports to follow the
    structure of the date, as the summary does (B counts 5 systems), but the command filters
    by B's path and writes B's own 2."""
    a, b = provinces["A"], provinces["B"]
    merge(a, b, today())
    out = tmp_path / "b.csv"
    call_command("export_systems", out=str(out), unit=b.code, stdout=io.StringIO())
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))[1:]
    assert len(rows) == 5


def test_the_admin_refuses_the_first_day_of_the_calendar_without_a_500(provinces, client):
    """An effective date of 01/01/0001 passes the form and the rules; the preview then asks
    for the day before, which Python cannot represent: OverflowError, a 500."""
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    form = {
        "kind": "merge",
        "unit": provinces["A"].pk,
        "successor": provinces["B"].pk,
        "effective_on": "01/01/0001",
        "legal_basis": "Nghị quyết thử",
        "note": "",
        "new_name": "",
    }
    client.raise_request_exception = False
    response = client.post("/admin/reorganisation/unitchange/add/", form)
    assert response.status_code in (200, 400)
    assert not UnitChange.objects.exists()
