"""The OpenAPI schema: the checked-in file is what the code generates, and the API keeps its
word, as schemathesis checks it against the live schema for an officer and a viewer."""

import json
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from registry.models import Role
from tests.api.conftest import issue
from tests.factories import SystemFactory

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
EXAMPLES_PER_OPERATION = 20  # bounded: both roles together run in well under two minutes
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_checked_in_schema_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--file", str(generated), "--validate")
    assert generated.read_text() == CHECKED_IN.read_text(), (
        "docs/openapi.yaml is out of date: run "
        "`python manage.py spectacular --lang en --file docs/openapi.yaml`"
    )


def live_schema():
    with translation.override("en"):
        document = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(document))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER])
def test_schemathesis_finds_no_server_error_and_no_broken_promise(role, two_units, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"api": None, "api_bulk": None})
    for _ in range(3):
        SystemFactory(owner=two_units["a"]["province"], approved=True)
    from tests.factories import user_with_role

    user = user_with_role(role, two_units["a"]["province"])
    _token, raw = issue(user)
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_dict(live_schema())
    app = in_test_transaction(get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        run_examples(operation, app, headers)


def in_test_transaction(app):
    """The WSGI app, minus the closing of the database connection at each request's end (as
    Django's test client does): the requests run inside the test's transaction."""

    def call(environ, start_response):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            return app(environ, start_response)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return call


def run_examples(operation, app, headers):
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)

    check()
