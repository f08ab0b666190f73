"""The read endpoints, each through registry/scope.py: what a unit's people see, and the 404
another province gets."""

import datetime
import json
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from compliance.reports.models import GeneratedReport, ReportStatus
from compliance.selectors import compliance_summary
from notifications.models import DeadlineCampaign
from registry.models import Deployment, Lifecycle, Role
from tests.api.conftest import client_for
from tests.factories import SystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_a(role_user, two_units):
    return client_for(role_user(Role.VIEWER, two_units["a"]["province"]))


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_units_are_the_users_subtree_with_its_tree(viewer_a, two_units):
    rows = viewer_a.get("/api/v1/units/").json()["results"]
    a = two_units["a"]
    assert [(r["code"], r["parent"], r["depth"]) for r in rows] == [
        (a["province"].code, None, 0),
        (a["department"].code, a["province"].code, 1),
    ]
    assert viewer_a.get(f"/api/v1/units/{a['department'].pk}/").json()["name"] == (
        a["department"].name
    )
    assert viewer_a.get(f"/api/v1/units/{two_units['b']['province'].pk}/").status_code == 404


def test_systems_are_scoped_and_filtered(viewer_a, two_units):
    a = two_units["a"]
    assert codes(viewer_a.get("/api/v1/systems/")) == {a["system"].code, a["sub_system"].code}
    only_department = viewer_a.get("/api/v1/systems/", {"unit": a["department"].code})
    assert codes(only_department) == {a["sub_system"].code}
    other = viewer_a.get("/api/v1/systems/", {"unit": two_units["b"]["province"].code})
    assert other.status_code == 404
    assert two_units["b"]["province"].name not in other.content.decode()
    assert viewer_a.get(f"/api/v1/systems/{two_units['b']['system'].pk}/").status_code == 404


def test_each_filter_narrows_the_list(viewer_a, two_units):
    province = two_units["a"]["province"]
    full = SystemFactory(owner=province, deployed=True, proposed_level=3)
    retired = SystemFactory(
        owner=province, lifecycle=Lifecycle.RETIRED, retired_on=datetime.date(2024, 1, 1)
    )
    assert codes(viewer_a.get("/api/v1/systems/", {"level": 3})) == {full.code}
    assert codes(viewer_a.get("/api/v1/systems/", {"deployment": Deployment.FULL})) == {full.code}
    assert codes(viewer_a.get("/api/v1/systems/", {"dossier_status": "approved"})) == {full.code}
    assert codes(viewer_a.get("/api/v1/systems/", {"lifecycle": "retired"})) == {retired.code}
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert codes(viewer_a.get("/api/v1/systems/", {"changed_since": later})) == set()
    as_2023 = {"unit": province.code, "as_of": "2023-06-30"}
    assert retired.code in codes(viewer_a.get("/api/v1/systems/", as_2023))


@pytest.mark.parametrize(
    "params",
    [
        {"level": "9"},
        {"level": "1" * 400},
        {"dossier_status": "nope"},
        {"changed_since": "2024-13-45"},
        {"as_of": "99999-01-01"},
        {"unit": "X" * 5000},
    ],
)
def test_bad_filters_are_a_400_or_404_problem_never_a_500(viewer_a, params):
    response = viewer_a.get("/api/v1/systems/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (400, 404), response.content
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["status"] == response.status_code and body["detail"]
    if response.status_code == 400:
        assert {error["field"] for error in body["errors"]} <= set(params)


@pytest.mark.parametrize(
    "cursor", ["%%%", "cD1hYmMmbz05OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "\u00e9" * 300, "cj0x"]
)
def test_hostile_cursors_and_sizes_answer_a_page_or_a_404(viewer_a, cursor):
    response = viewer_a.get("/api/v1/systems/", {"cursor": cursor, "page_size": "-5"})
    assert response.status_code in (200, 404), response.content


def test_cursor_pages_walk_every_system_once_with_a_capped_size(viewer_a, two_units, settings):
    settings.API_MAX_PAGE_SIZE = 2
    for _ in range(3):
        SystemFactory(owner=two_units["a"]["province"])
    seen, url = [], "/api/v1/systems/?page_size=1000"
    while url:
        body = viewer_a.get(url).json()
        assert len(body["results"]) <= 2
        seen += [row["code"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 5


def test_the_systems_list_costs_the_same_queries_for_3_or_30_systems(
    viewer_a, two_units, django_assert_num_queries
):
    province = two_units["a"]["province"]
    viewer_a.get("/api/v1/systems/")  # first use of the token noted

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert viewer_a.get("/api/v1/systems/", {"unit": province.code}).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(28):
        SystemFactory(owner=province, operator=two_units["a"]["department"])
    assert queries() == few
    with django_assert_num_queries(few):
        viewer_a.get("/api/v1/systems/", {"unit": province.code})


def test_a_systems_history_names_its_changes(viewer_a, two_units):
    system = two_units["a"]["system"]
    system.name = "Cổng mới"
    system.save()
    entries = viewer_a.get(f"/api/v1/systems/{system.pk}/history/").json()
    assert entries[0]["changes"][0]["new"] == "Cổng mới"
    other = two_units["b"]["system"]
    assert viewer_a.get(f"/api/v1/systems/{other.pk}/history/").status_code == 404


def test_the_summary_is_the_selectors_and_the_commands(viewer_a, two_units, national_admin):
    province = two_units["a"]["province"]
    body = viewer_a.get("/api/v1/summary/", {"unit": province.code, "as_of": "2024-06-30"})
    assert body.status_code == 200
    out = StringIO()
    call_command(
        "compliance_summary",
        format="json",
        unit=province.code,
        as_of=datetime.date(2024, 6, 30),
        stdout=out,
    )
    assert body.json() == json.loads(out.getvalue())
    national = client_for(national_admin).get("/api/v1/summary/").json()
    assert national == json.loads(json.dumps(compliance_summary().as_dict()))


def test_the_national_summary_and_other_units_are_404_for_a_unit_viewer(viewer_a, two_units):
    assert viewer_a.get("/api/v1/summary/").status_code == 404
    other = viewer_a.get("/api/v1/summary/", {"unit": two_units["b"]["province"].code})
    assert other.status_code == 404
    bad = viewer_a.get("/api/v1/summary/", {"as_of": "2010-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "as_of"


def test_campaigns_are_those_that_concern_the_users_units(viewer_a, two_units):
    everyone = DeadlineCampaign.objects.create(
        name="Toàn quốc",
        requirement="approval",
        due_date=datetime.date(2024, 9, 30),
        issued_on=datetime.date(2024, 2, 23),
    )
    for key in ("a", "b"):
        campaign = DeadlineCampaign.objects.create(
            name=f"Riêng {key}",
            requirement="deployment",
            due_date=datetime.date(2024, 12, 31),
            issued_on=datetime.date(2024, 2, 23),
        )
        campaign.units.set([two_units[key]["province"]])
    rows = viewer_a.get("/api/v1/campaigns/").json()
    names = {row["name"]: row["units"] for row in rows}
    assert names.get(everyone.name) == [] and names["Riêng a"] == [two_units["a"]["province"].code]
    assert "Riêng b" not in names


def test_reports_list_and_download_in_scope(viewer_a, two_units):
    def report(unit, name):
        made = GeneratedReport.objects.create(
            unit=unit, as_of=datetime.date(2024, 6, 30), format="pdf", status=ReportStatus.DONE
        )
        made.file.save(name, ContentFile(b"%PDF-1.4 test"))
        return made

    mine = report(two_units["a"]["province"], "a.pdf")
    theirs = report(two_units["b"]["province"], "b.pdf")
    rows = viewer_a.get("/api/v1/reports/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    download = viewer_a.get(rows[0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert viewer_a.get(f"/api/v1/reports/{theirs.pk}/download/").status_code == 404
    assert viewer_a.get(f"/api/v1/reports/{theirs.pk}/").status_code == 404
