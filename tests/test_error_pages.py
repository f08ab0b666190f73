"""The error pages: in the product's look, in Vietnamese (English when chosen), never Django's bare
English ones; the 500 page renders without the database or context processors."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from registry.models import Role
from tests.factories import SystemFactory, UnitFactory

pytestmark = pytest.mark.django_db

LOOK = '<link rel="stylesheet" href="/static/compliance/app.css">'


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_csrf_failure_in_vietnamese_and_english():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))  # sets the CSRF cookie
    page = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert page.status_code == 403
    html = page.content.decode()
    assert LOOK in html and '<html lang="vi"' in html
    assert "Không thể tiếp nhận biểu mẫu" in html
    assert "CSRF verification failed" not in html

    client.cookies["django_language"] = "en"  # the language switch is a form, refused here too
    html = client.post(reverse("login"), {"username": "x", "password": "y"}).content.decode()
    assert '<html lang="en"' in html and "The form could not be accepted" in html


def test_csrf_failure_without_the_cookie_mentions_cookies():
    client = Client(enforce_csrf_checks=True)
    page = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert page.status_code == 403
    assert "cho phép cookie" in page.content.decode()


def test_404_for_a_missing_and_an_out_of_scope_object_read_the_same(client, role_user):
    unit, other = UnitFactory(), UnitFactory()
    client.force_login(role_user(Role.VIEWER, unit))
    out_of_scope = client.get(reverse("compliance:system", args=[SystemFactory(owner=other).pk]))
    missing = client.get(reverse("compliance:system", args=[999999]))
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    html = missing.content.decode()
    assert LOOK in html and "Không tìm thấy trang" in html


def test_403_in_vietnamese_and_english(client, role_user):
    client.force_login(role_user(Role.VIEWER, UnitFactory()))
    url = reverse("admin:registry_membership_changelist")
    html = client.get(url).content.decode()
    assert LOOK in html and "Bạn không có quyền thực hiện thao tác này" in html
    html = _english(client).get(url).content.decode()
    assert "You may not do this" in html


def test_400_in_english_when_chosen(client):
    html = _english(client).get("/units/?q=a%00b").content.decode()
    assert LOOK in html and "The request could not be read" in html


def test_500_needs_no_database_and_no_context_processors(rf, django_db_blocker, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"]}}
    ]
    settings.TEMPLATES[0]["OPTIONS"]["context_processors"] = ["tests.test_error_pages.refuse"]
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_db_blocker.block(), translation.override("vi"):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert LOOK in html and "Đã xảy ra lỗi ở phía hệ thống" in html


def refuse(request):
    raise AssertionError("the 500 page must not run context processors")


def test_500_of_a_failing_view_in_the_products_look(client, monkeypatch, role_user):
    client.raise_request_exception = False
    client.force_login(role_user(Role.VIEWER, UnitFactory()))

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("compliance.views.scope.membership_units", broken)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert LOOK in response.content.decode()
