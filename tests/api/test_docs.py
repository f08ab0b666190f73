"""The docs page: Swagger UI from the files the product ships (no CDN), under the pages' CSP."""

import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from registry.models import Role
from tests.api.conftest import sign_in_verified

pytestmark = pytest.mark.django_db
DOCS = "/api/v1/docs/"


def test_the_docs_load_only_files_of_the_site(client, role_user, two_units, settings):
    sign_in_verified(client, role_user(Role.VIEWER, two_units["a"]["province"]))
    page = client.get(DOCS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html and not re.search(r"<script>\s*\S", html)  # no inline code
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/") for url in urls), urls  # nothing from elsewhere
    for url in urls:
        if url.startswith(f"/{settings.STATIC_URL}"):
            assert finders.find(url.removeprefix(f"/{settings.STATIC_URL}")), url
    script = client.get(next(url for url in urls if "script" in url and not url.endswith(".js")))
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()
    policy = page["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy


def test_the_schema_and_docs_are_closed_to_anonymous_users():
    assert APIClient().get(DOCS).status_code == 401
    assert APIClient().get("/api/v1/schema/").status_code == 401
