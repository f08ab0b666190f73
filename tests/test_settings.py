"""Settings come from the environment; a production start without SECRET_KEY fails loudly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _settings_of(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE,"
        " s.TIME_ZONE, s.EMAIL_BACKEND)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "compliance.settings", **env},
        capture_output=True,
        text=True,
    )


def test_defaults_need_nothing_running():
    result = _settings_of()
    assert result.returncode == 0, result.stderr
    engine, eager, language, zone, mail = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"  # no Redis: tasks run in-process
    assert (language, zone) == ("vi", "Asia/Ho_Chi_Minh")
    assert mail.endswith("filebased.EmailBackend")


def test_database_and_broker_come_from_the_environment():
    result = _settings_of(
        DATABASE_URL="postgres://u@db.example:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/9",
        EMAIL_HOST="smtp.example",
    )
    engine, eager, *_, mail = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert eager == "False"
    assert mail.endswith("smtp.EmailBackend")


def test_production_without_secret_key_refuses_to_start():
    result = _settings_of(DJANGO_DEBUG="off", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
