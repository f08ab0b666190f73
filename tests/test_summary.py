import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.selectors import compliance_summary, outstanding_systems, subunit_breakdown
from registry.baseline import read_appendix_ix
from registry.models import Lifecycle
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory


def run_json(*args):
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

    call_command("compliance_summary", "--format", "json", *args, stdout=Sink())
    return json.loads("".join(out))


def test_baseline_summary_equals_published_table(baseline):
    data = run_json()
    published = {row.name: row for row in read_appendix_ix()}
    assert len(data["units"]) == 91
    for unit in data["units"]:
        expected = published[unit["name"]]
        counts = (unit["total"], unit["approved"], unit["fully_deployed"])
        assert counts == (expected.total, expected.approved, expected.fully_deployed)
    national = data["national"]
    assert (national["total"], national["approved"], national["fully_deployed"]) == (
        7008,
        5323,
        3957,
    )
    assert national["approval_rate"] == 76.0
    assert national["deployment_rate"] == 56.5
    assert national["units_below_50_approval"] == 22
    assert national["units_below_50_deployment"] == 34
    assert sum(national["levels"].values()) == 7008
    assert set(data["groups"]) == {"ministry", "province"}
    ministries = data["groups"]["ministry"]
    assert (ministries["total"], ministries["units"]) == (1113, 28)


def test_units_with_no_systems_are_flagged_and_counted_below_50(baseline):
    data = run_json()
    empty = [unit["name"] for unit in data["units"] if unit["no_systems_declared"]]
    assert sorted(empty) == sorted(
        ["Ban Quản lý Lăng Chủ tịch Hồ Chí Minh", "Bến Tre", "Hải Phòng", "Phú Yên"]
    )
    bentre = next(unit for unit in data["units"] if unit["name"] == "Bến Tre")
    assert bentre["approval_rate"] is None


def test_cà_mau_deployed_over_approved_is_a_separate_figure(baseline):
    camau = next(unit for unit in run_json()["units"] if unit["name"] == "Cà Mau")
    # The published table showed 49%: 26 of 53 approved; against the total it is 37.7%.
    assert camau["deployment_rate"] == 37.7
    assert camau["deployed_of_approved_rate"] == 49.1


def test_unit_option_prints_one_unit(baseline):
    data = run_json("--unit", "P38")
    assert [unit["name"] for unit in data["units"]] == ["Thanh Hóa"]
    assert data["units"][0]["total"] == 856
    assert data["national"]["total"] == 7008


def test_table_format_prints_totals(baseline, capsys):
    call_command("compliance_summary", "--as-of", "2024-06-30")
    out = capsys.readouterr().out
    assert "TOTAL national" in out and "7008" in out
    assert "Units below 50% approval: 22/91" in out


@pytest.fixture
def timeline(db):
    """One province with a department; systems moving through 2024."""
    province = UnitFactory(name="Lào Cai")
    department = SubUnitFactory(parent=province)
    SystemFactory(owner=province, declared_on=datetime.date(2024, 1, 10))  # never approved
    SystemFactory(owner=department, approved=True)  # approved 2024-04-01
    SystemFactory(owner=department, deployed=True)  # full 2024-05-01
    SystemFactory(owner=province, declared_on=datetime.date(2024, 8, 1))  # declared later
    SystemFactory(
        owner=province,
        lifecycle=Lifecycle.RETIRED,
        declared_on=datetime.date(2023, 1, 1),
        retired_on=datetime.date(2024, 2, 1),
    )
    return province, department


@pytest.mark.parametrize(
    "as_of,expected",
    [
        ("2024-01-31", (4, 0, 0)),  # the retired one still counts until its date
        ("2024-03-31", (3, 0, 0)),
        ("2024-04-01", (3, 2, 0)),
        ("2024-06-30", (3, 2, 1)),
        ("2024-09-30", (4, 2, 1)),
    ],
)
def test_figures_as_of_any_date(timeline, as_of, expected):
    province, _ = timeline
    row = compliance_summary(as_of=datetime.date.fromisoformat(as_of), unit=province).units[0]
    assert (row.total, row.approved, row.fully_deployed) == expected


def test_subordinate_units_count_toward_their_reporting_unit(timeline):
    province, department = timeline
    summary = compliance_summary(as_of=datetime.date(2024, 6, 30))
    row = next(row for row in summary.units if row.unit == province)
    assert (row.total, row.approved) == (3, 2)
    own, child = subunit_breakdown(province, as_of=datetime.date(2024, 6, 30))
    assert (own.unit, own.total, own.approved) == (province, 1, 0)
    assert (child.unit, child.total, child.approved) == (department, 2, 2)


def test_outstanding_systems_highest_level_first(timeline):
    province, _ = timeline
    SystemFactory(owner=province, proposed_level=4, declared_on=datetime.date(2024, 2, 1))
    outstanding = list(outstanding_systems(province, as_of=datetime.date(2024, 6, 30)))
    assert [system.level_then for system in outstanding] == [4, 2, 2]


def _summary_queries():
    with CaptureQueriesContext(connection) as captured:
        summary = compliance_summary()
        summary.as_dict()
    return len(captured)


def test_summary_takes_the_same_few_queries_at_any_size(db):
    units = UnitFactory.create_batch(3)
    SystemFactory(owner=units[0])
    small = _summary_queries()
    for unit in units:
        SystemFactory.create_batch(20, owner=SubUnitFactory(parent=unit), deployed=True)
    assert _summary_queries() == small == 3  # the units, the unit changes, the figures
