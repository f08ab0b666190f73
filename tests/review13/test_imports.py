"""Imports across a merger into a new unit: names resolve by the import's date, not the row's."""

import io

from django.utils import translation

from compliance.selectors import compliance_summary
from registry.imports import import_systems
from registry.models import InformationSystem
from tests.factories import UnitFactory
from tests.imports.conftest import basic_csv

from .conftest import days_ago, merge


def test_a_row_declared_before_a_merger_keeps_the_unit_of_its_date(provinces):
    """A is merged last week into a new unit N (established last week). A row declared 20
    days ago naming A is resolved in today's structure, to N; on its declaration date N did
    not exist, so the system is counted nowhere in the reports of that date (the issue: an
    old name leads to the successor "for rows dated after the change")."""
    a = provinces["A"]
    new_unit = UnitFactory(name="Tỉnh Mới", code="R99", established_on=days_ago(7))
    merge(a, new_unit, days_ago(7))
    national_before = compliance_summary(days_ago(20)).national.total
    data = basic_csv(["RV-NEW-1", "Cổng mới", a.name, "2", days_ago(20).strftime("%d/%m/%Y")])
    with translation.override("vi"):
        report = import_systems(io.BytesIO(data), "systems.csv", None)
    assert report.ok, report.errors
    assert InformationSystem.objects.get(code="RV-NEW-1").declared_on == days_ago(20)
    assert compliance_summary(days_ago(20)).national.total == national_before + 1
