#!/usr/bin/env python
"""Benchmarks at 1x and 10x the Appendix IX baseline, in a scratch database.

Each section (bench/<name>.py with run(ctx)) times product code against a bare
baseline measured in the same run: the raw SQL, a bare bulk_create, a no-op
task. Usage: python bench/run.py [--scales 1 10] [--only registry,pages]
(`--scales 100` adds the figures at about 700,000 systems: long, and not part of CI).
"""

import argparse
import importlib
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")

SECTIONS = ["registry", "pages", "notifications", "reports", "imports", "api"]
# At LARGE_SCALE only the figures that must hold there: the summary, the national page and
# the admin list (issue 17); the other sections would take hours.
LARGE_SCALE_SECTIONS = {"bench.registry", "bench.pages"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--only", default=",".join(SECTIONS))
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench import registry as registry_bench
    from bench.common import LARGE_SCALE, BenchContext

    settings.DEBUG = False
    settings.ROOT_URLCONF = "bench.urls"  # the product's URLs and the bench floor
    warnings.filterwarnings("ignore", message="No directory at")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    modules = []
    for name in args.only.split(","):
        try:
            modules.append(importlib.import_module(f"bench.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"bench.{name}":
                raise
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        for scale in args.scales:
            print(f"== scale {scale}x")
            ctx = BenchContext(scale=scale)
            registry_bench.prepare(ctx)
            for module in modules:
                if scale < LARGE_SCALE or module.__name__ in LARGE_SCALE_SECTIONS:
                    module.run(ctx)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
