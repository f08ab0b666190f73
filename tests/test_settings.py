"""Settings come from the environment; production is the default and development opts in."""

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parent.parent
# The README's production environment (its "Production shape" section).
PRODUCTION = {
    "DATABASE_URL": "postgres://compliance:pw@db.example:5432/compliance",
    "REDIS_URL": "redis://redis.example:6379/0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_DEBUG": "off",
    "ALLOWED_HOSTS": "compliance.example.gov.vn",
}


def _run(code, **env):
    """`code` in a fresh interpreter with only the given environment (plus PATH and HOME)."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "compliance.settings", **env},
        capture_output=True,
        text=True,
    )


def _settings_of(*names, **env):
    """The named settings as the settings module computes them from `env`."""
    code = f"from django.conf import settings as s; print(repr([getattr(s, n) for n in {names!r}]))"
    result = _run(code, **env)
    assert result.returncode == 0, result.stderr
    return dict(zip(names, ast.literal_eval(result.stdout), strict=True))


def test_development_needs_nothing_running():
    result = _settings_of(
        "DEBUG",
        "CELERY_TASK_ALWAYS_EAGER",
        "LANGUAGE_CODE",
        "TIME_ZONE",
        "EMAIL_BACKEND",
        DJANGO_DEBUG="on",
    )
    assert result.pop("DEBUG") is True
    assert result.pop("CELERY_TASK_ALWAYS_EAGER") is True  # no Redis: tasks run in-process
    assert result.pop("EMAIL_BACKEND").endswith("filebased.EmailBackend")
    assert result == {"LANGUAGE_CODE": "vi", "TIME_ZONE": "Asia/Ho_Chi_Minh"}


def test_database_and_broker_come_from_the_environment():
    result = _settings_of(
        "DATABASES",
        "CELERY_TASK_ALWAYS_EAGER",
        "EMAIL_BACKEND",
        **PRODUCTION,
        EMAIL_HOST="smtp.example",
    )
    assert result["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert result["CELERY_TASK_ALWAYS_EAGER"] is False
    assert result["EMAIL_BACKEND"].endswith("smtp.EmailBackend")


def test_debug_is_off_by_default_and_production_is_safe():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_DEBUG"}
    result = _settings_of(
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        **env,
    )
    assert result == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SESSION_COOKIE_AGE": 9 * 3600,  # a working day
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }


def test_behind_a_tls_terminating_proxy():
    result = _settings_of(
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        **PRODUCTION,
        SECURE_SSL_REDIRECT="off",
        SECURE_HSTS_SECONDS="0",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    assert result == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_HSTS_SECONDS": 0,
    }


@pytest.mark.parametrize("debug", [None, "off"])
def test_production_without_secret_key_refuses_to_start(debug):
    env = {"DJANGO_DEBUG": debug} if debug else {}
    result = _run("", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_in_the_readmes_production_environment():
    result = _run(
        "from django.core.management import call_command;"
        " call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_an_unsafe_setting():
    # The check above can fail: with HSTS off it warns, and a warning fails it.
    result = _run(
        "from django.core.management import call_command;"
        " call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUCTION,
        SECURE_HSTS_SECONDS="0",
    )
    assert result.returncode != 0 and "security.W004" in result.stderr


def test_the_suite_itself_runs_with_debug_off():
    assert settings.DEBUG is False and settings.SESSION_COOKIE_SECURE is True


@pytest.fixture
def demo_units(db):
    from tests.factories import UnitFactory

    return [UnitFactory(code=code) for code in ("B05", "P38", "P01")]


def test_demo_users_refuse_with_debug_off(settings, demo_units):
    from registry.models import Membership

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("create_demo_users")
    assert not Membership.objects.exists()


@pytest.mark.parametrize("debug, args", [(True, []), (False, ["--i-know-this-is-not-production"])])
def test_demo_users_with_debug_on_or_the_flag(settings, demo_units, capsys, debug, args):
    from registry.models import Membership

    settings.DEBUG = debug
    call_command("create_demo_users", *args)
    assert capsys.readouterr().out.count("password:") == 4
    assert Membership.objects.filter(role="national_admin").exists()


def test_request_limits_follow_the_import_limit():
    result = _settings_of(
        "IMPORT_MAX_REQUEST_BYTES",
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        **PRODUCTION,
        IMPORT_MAX_BYTES="1000",
    )
    assert result == {
        "IMPORT_MAX_REQUEST_BYTES": 1000 + 64 * 1024,
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 1000 + 64 * 1024,
    }


@pytest.mark.django_db
def test_a_form_body_over_the_limit_is_refused(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = client.post("/login/", {"username": "x" * 3000, "password": "y"})
    assert response.status_code == 400
    assert client.post("/login/", {"username": "x", "password": "y"}).status_code == 200


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit_compilation():
    """The pages' as-of queries pass PostgreSQL's JIT cost threshold at 10x, and compiling
    them took ten times as long as running them (docs/scaling.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
