"""One error format, in the client's language, for everything a client can get wrong; never
a 500; request rates per token with Retry-After; the import's body limit."""

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from registry.api.throttling import TokenRateThrottle
from registry.models import InformationSystem, Role
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def officer(role_user, two_units):
    return client_for(role_user(Role.OFFICER, two_units["a"]["province"]))


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["code"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/systems/abc/",
        "/api/v1/systems/-1/",
        f"/api/v1/systems/{10**40}/",
        "/api/v1/systems/1e5/",
        "/api/v1/units/%20/",
        "/api/v1/reports/0x10/",
        "/api/v1/no-such-thing/",
        "/api/v1/systems/1/history/extra/",
    ],
)
def test_hostile_ids_and_unknown_urls_are_a_404_problem(officer, path):
    assert_problem(officer.get(path), 404)


def test_a_nul_in_the_query_is_a_400_problem(officer):
    assert_problem(officer.get("/api/v1/systems/?unit=P%00"), 400)


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b'{"code": "X", ', "application/json", 400),
        (b"\xff\xfe not utf-8", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"code": "X", "proposed_level": NaN}', "application/json", 400),
        (b'{"code": "X", "proposed_level": 1e999}', "application/json", 400),
        (b'{"code": "X", "proposed_level": ' + b"9" * 5000 + b"}", "application/json", 400),
        (b'{"code": "X", "declared_on": "0000-00-00"}', "application/json", 400),
        (rb'{"code": "X\u0000", "name": "\ud800"}', "application/json", 400),
        (b"[" * 100000 + b"]" * 100000, "application/json", 400),
        (b"code=X&name=Y", "application/x-www-form-urlencoded", 415),
        (b"<xml/>", "application/xml", 415),
        (b'{"code": "X"}', "text/plain", 415),
    ],
)
def test_bad_json_and_wrong_content_types_are_problems(officer, body, content_type, status):
    response = officer.generic("POST", "/api/v1/systems/", body, content_type=content_type)
    assert_problem(response, status)
    assert not InformationSystem.objects.filter(code="X").exists()


def test_a_read_only_method_is_a_405_problem(officer, two_units):
    assert_problem(officer.delete(f"/api/v1/systems/{two_units['a']['system'].pk}/"), 405)


def test_anonymous_requests_are_a_401_problem():
    body = assert_problem(APIClient().get("/api/v1/systems/"), 401)
    assert body["code"] == "not_authenticated"


def test_errors_speak_the_clients_language_with_field_paths(officer, two_units):
    system = two_units["a"]["system"]
    url = f"/api/v1/systems/{system.pk}/"
    english = officer.patch(url, {"proposed_level": 9}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = officer.patch(url, {"proposed_level": 9}, format="json")
    english_error = assert_problem(english, 400)["errors"][0]
    vietnamese_error = assert_problem(vietnamese, 400)["errors"][0]
    assert english_error["field"] == vietnamese_error["field"] == "proposed_level"
    assert english_error["code"] == vietnamese_error["code"] == "max_value"
    assert "less than or equal to 5" in english_error["message"]
    assert english_error["message"] != vietnamese_error["message"]
    assert (english["Content-Language"], vietnamese["Content-Language"]) == ("en", "vi")
    assert (
        assert_problem(officer.get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="en"), 404)["title"]
        == "Not found"
    )


def test_a_body_over_the_import_limit_is_a_413_before_it_is_read(officer, settings):
    settings.IMPORT_MAX_REQUEST_BYTES = 1000
    body = b'{"rows": [' + b'{"a": "b"},' * 200 + b'{"a": "b"}]}'
    response = officer.generic(
        "POST", "/api/v1/systems/bulk/", body, content_type="application/json"
    )
    assert_problem(response, 413)


def test_each_token_has_its_own_rate_and_is_told_when_to_retry(role_user, two_units, monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "api": "3/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    first = client_for(role_user(Role.VIEWER, two_units["a"]["province"]))
    second = client_for(role_user(Role.VIEWER, two_units["a"]["province"]))
    assert [first.get("/api/v1/units/").status_code for _ in range(3)] == [200] * 3
    refused = first.get("/api/v1/units/")
    body = assert_problem(refused, 429)
    assert body["code"] == "throttled" and 0 < int(refused["Retry-After"]) <= 60
    assert second.get("/api/v1/units/").status_code == 200


def test_the_rates_are_settings_on_the_api_cache(settings):
    assert set(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) == {"api", "api_bulk"}
    assert TokenRateThrottle().cache is caches["api"]
