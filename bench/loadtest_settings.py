"""Settings of `make loadtest` (bench/loadtest.py): production's, with the URL conf adding the
bench floor page (bench/urls.py). Never a deployment's settings."""

from compliance.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
