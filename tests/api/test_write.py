"""Officers' writes: one system at a time through registry/transitions.py, with the token as
the history's source; and the bulk endpoint, which is the file import."""

import pytest

from registry.audit.models import AuditEvent
from registry.models import ImportBatch, ImportStatus, InformationSystem, Role
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db
SYSTEMS = "/api/v1/systems/"
BULK = "/api/v1/systems/bulk/"


@pytest.fixture
def officer_a(role_user, two_units):
    return client_for(
        role_user(Role.OFFICER, two_units["a"]["province"]), **{"Accept-Language": "en"}
    )


def new_system(unit, **fields):
    return {"code": "HT-API-1", "name": "Cổng dịch vụ công", "owner": unit.code, **fields}


def test_an_officer_creates_a_system_recorded_with_the_token(officer_a, two_units):
    province = two_units["a"]["province"]
    response = officer_a.post(SYSTEMS, new_system(province, proposed_level=3), format="json")
    assert response.status_code == 201, response.content
    system = InformationSystem.objects.get(code="HT-API-1")
    assert (system.owner, system.proposed_level, response.json()["owner"]) == (
        province,
        3,
        province.code,
    )
    record = system.history.get()
    assert record.api_token.label == "script" and record.history_user == record.api_token.user
    event = AuditEvent.objects.get(action="system.created")
    assert event.unit == province and event.data["via"] == "api"


def test_an_officer_changes_a_system_and_the_history_says_so(officer_a, two_units):
    system = two_units["a"]["sub_system"]
    response = officer_a.patch(f"{SYSTEMS}{system.pk}/", {"name": "Thư điện tử mới"}, format="json")
    assert response.status_code == 200, response.content
    system.refresh_from_db()
    assert system.name == "Thư điện tử mới"
    latest = system.history.latest()
    assert latest.api_token is not None and latest.history_change_reason == "API: script"
    history = officer_a.get(f"{SYSTEMS}{system.pk}/history/").json()
    assert history[0]["api_token"] == "script"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"dossier_status": "approved"}, "dossier_status"),  # drafting → approved: no such step
        ({"proposed_level": 7}, "proposed_level"),
        ({"proposed_level": 10**30}, "proposed_level"),
        ({"name": "Cổng\x00"}, "name"),
        ({"name": "a" * 300}, "name"),
        ({"declared_on": "2024-02-30"}, "declared_on"),
        ({"owner": "NOPE"}, "owner"),
        ({"owner": ["x"]}, "owner"),
        ({"handles_private_data": "perhaps"}, "handles_private_data"),
    ],
)
def test_an_invalid_change_is_a_400_naming_the_field_and_changes_nothing(
    officer_a, two_units, fields, field
):
    system = two_units["a"]["system"]
    before = system.history.count()
    response = officer_a.patch(f"{SYSTEMS}{system.pk}/", fields, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert field in {error["field"] for error in body["errors"]}
    assert system.history.count() == before


def test_a_code_already_taken_is_refused(officer_a, two_units):
    taken = two_units["b"]["system"].code
    response = officer_a.post(
        SYSTEMS, new_system(two_units["a"]["province"], code=taken), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "code"


def test_an_officer_may_not_move_a_system_to_another_province(officer_a, two_units):
    system = two_units["a"]["system"]
    other = two_units["b"]["province"]
    response = officer_a.patch(f"{SYSTEMS}{system.pk}/", {"owner": other.code}, format="json")
    assert response.status_code == 400
    assert other.name not in response.content.decode()
    system.refresh_from_db()
    assert system.owner == two_units["a"]["province"]


def test_another_provinces_system_is_404_and_a_viewers_write_is_403(
    officer_a, role_user, two_units
):
    other = two_units["b"]["system"]
    assert officer_a.patch(f"{SYSTEMS}{other.pk}/", {"name": "x"}, format="json").status_code == 404
    viewer = client_for(role_user(Role.VIEWER, two_units["a"]["province"]))
    own = two_units["a"]["system"]
    assert viewer.patch(f"{SYSTEMS}{own.pk}/", {"name": "x"}, format="json").status_code == 403
    created = viewer.post(SYSTEMS, new_system(two_units["a"]["province"]), format="json")
    assert created.status_code == 403
    assert viewer.post(BULK, {"rows": [{"Mã hệ thống": "X"}]}, format="json").status_code == 403
    assert not InformationSystem.objects.filter(code="HT-API-1").exists()


# --- bulk ------------------------------------------------------------------------------------


def rows(unit, *extra):
    return [
        {
            "Mã hệ thống": "HT-BULK-1",
            "Tên hệ thống": "Một cửa điện tử",
            "Đơn vị chủ quản": unit.name,
        },
        {
            "Mã hệ thống": "HT-BULK-2",
            "Tên hệ thống": "Quản lý văn bản",
            "Cấp độ đề xuất": "Cấp độ 3",
        },
        *extra,
    ]


def test_a_bulk_dry_run_reports_then_the_real_run_writes(officer_a, two_units):
    province = two_units["a"]["province"]
    payload = {"rows": rows(province), "unit": province.code}
    dry = officer_a.post(f"{BULK}?dry_run=true", payload, format="json")
    assert dry.status_code == 200, dry.content
    assert (dry.json()["created"], dry.json()["status"]) == (2, "dry_run")
    assert not InformationSystem.objects.filter(code__startswith="HT-BULK").exists()
    real = officer_a.post(BULK, payload, format="json")
    assert real.status_code == 200 and real.json()["status"] == "applied"
    batch = ImportBatch.objects.get(pk=real.json()["import_batch"])
    created = InformationSystem.objects.get(code="HT-BULK-2")
    assert (created.owner, created.proposed_level) == (province, 3)
    assert created.history.get().import_batch == batch


def test_a_bulk_run_with_one_bad_row_writes_nothing_and_names_the_row(officer_a, two_units):
    province = two_units["a"]["province"]
    bad = {"Mã hệ thống": "HT-BULK-3", "Tên hệ thống": "X", "Cấp độ đề xuất": "Cấp độ 9"}
    response = officer_a.post(
        BULK, {"rows": rows(province, bad), "unit": province.code}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "import_rejected" and body["report"]["status"] == ImportStatus.REJECTED
    error = body["errors"][0]
    assert (error["row"], error["field"]) == (4, "rows[2].Cấp độ đề xuất")
    assert not InformationSystem.objects.filter(code__startswith="HT-BULK").exists()
    assert ImportBatch.objects.filter(status=ImportStatus.REJECTED).count() == 1  # recorded


def test_a_bulk_run_for_another_province_is_404_and_its_units_read_as_unknown(officer_a, two_units):
    other = two_units["b"]["province"]
    assert (
        officer_a.post(BULK, {"rows": rows(other), "unit": other.code}, format="json").status_code
        == 404
    )
    response = officer_a.post(BULK, {"rows": rows(other)}, format="json")
    assert response.status_code == 400
    assert not InformationSystem.objects.filter(code__startswith="HT-BULK").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"rows": []},
        {"rows": "not a list"},
        {"rows": [["a", "b"]]},
        {"rows": [{"Mã hệ thống": {"nested": 1}}]},
        {"rows": [{"Mã\x00": "x"}]},
        {"rows": [{"Mã hệ thống": "HT\x00"}]},
        {},
    ],
)
def test_a_malformed_bulk_body_is_a_400(officer_a, payload):
    response = officer_a.post(BULK, payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"].startswith("rows")


def test_a_retried_bulk_request_changes_nothing_twice(officer_a, two_units):
    province = two_units["a"]["province"]
    payload = {"rows": rows(province), "unit": province.code}
    first = officer_a.post(BULK, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    InformationSystem.objects.filter(code="HT-BULK-1").update(name="Đổi tay")
    again = officer_a.post(BULK, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert ImportBatch.objects.filter(status=ImportStatus.APPLIED).count() == 1
    assert InformationSystem.objects.get(code="HT-BULK-1").name == "Đổi tay"
    changed = {"rows": rows(province)[:1], "unit": province.code}
    reused = officer_a.post(BULK, changed, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 409
    dry = officer_a.post(f"{BULK}?dry_run=true", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert dry.status_code == 409  # the dry run is another request


def test_the_same_key_of_another_user_is_their_own(officer_a, role_user, two_units):
    province = two_units["a"]["province"]
    payload = {"rows": rows(province), "unit": province.code}
    officer_a.post(f"{BULK}?dry_run=true", payload, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    colleague = client_for(role_user(Role.OFFICER, province))
    response = colleague.post(BULK, payload, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 200 and response.json()["status"] == "applied"


def test_a_claim_left_by_a_dead_run_is_taken_over_and_old_answers_forgotten(
    officer_a, two_units, settings
):
    import datetime

    from django.utils import timezone

    from registry.api.models import IdempotentRequest

    province = two_units["a"]["province"]
    payload = {"rows": rows(province), "unit": province.code}
    officer_a.post(f"{BULK}?dry_run=true", payload, format="json", HTTP_IDEMPOTENCY_KEY="old")
    stuck = officer_a.post(BULK, payload, format="json", HTTP_IDEMPOTENCY_KEY="stuck")
    assert stuck.status_code == 200
    record = IdempotentRequest.objects.get(key="stuck")
    IdempotentRequest.objects.filter(pk=record.pk).update(status_code=0)  # a run that died
    assert (
        officer_a.post(BULK, payload, format="json", HTTP_IDEMPOTENCY_KEY="stuck").status_code
        == 409
    )
    long_ago = timezone.now() - datetime.timedelta(days=settings.API_IDEMPOTENCY_DAYS + 1)
    IdempotentRequest.objects.update(created_at=long_ago)
    again = officer_a.post(BULK, payload, format="json", HTTP_IDEMPOTENCY_KEY="stuck")
    assert again.status_code == 200 and again.json()["unchanged"] == 2  # run again: no change
    assert not IdempotentRequest.objects.filter(key="old").exists()


def test_an_operator_outside_scope_is_not_named_and_a_full_update_keeps_it(officer_a, two_units):
    system = two_units["a"]["system"]
    InformationSystem.objects.filter(pk=system.pk).update(operator=two_units["b"]["province"])
    body = officer_a.get(f"{SYSTEMS}{system.pk}/").json()
    assert body["operator"] is None  # another province: not named
    body = {key: value for key, value in body.items() if value is not None}
    body["name"] = "Cổng đổi tên"
    response = officer_a.put(f"{SYSTEMS}{system.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    system.refresh_from_db()
    assert (system.name, system.operator) == ("Cổng đổi tên", two_units["b"]["province"])
