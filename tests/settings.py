"""The suite's settings: the production module with DEBUG off, as a deployment runs it.

pytest sets only what a test run cannot take from a deployment: a key (none is configured on
a CI machine) and plain HTTP (the test client and the browser tests' live server speak no TLS).
Static files are served from the apps' folders, as no collectstatic manifest exists here."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 50)

from compliance.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
