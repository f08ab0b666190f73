"""The pages the browser tests check for accessibility and reflow: the one list (issue 18).

A new page is one line in SITE_PAGES: who opens it and its path, whose `{fields}` come from
SiteData (add a field there when the page needs an object of its own). The accessibility
test runs axe-core on every entry at each width; the reflow test loads every product page
on a phone with long names. A page that a test visits through `page_as` but this list lacks
fails that test (conftest.py).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from compliance.reports.models import GeneratedReport, ReportFormat, ReportStatus
from registry.models import ImportBatch, ImportStatus, InformationSystem, Role, Unit
from tests.factories import UserFactory

# Who opens a page: a role signed in through the login form (second factor included), or
# one of the sign-in's own steps.
ANONYMOUS = "anonymous"
NATIONAL = "national"
OFFICER = "officer"  # security officer of OFFICER_UNIT
SECOND_FACTOR_STEP = "second-factor-step"  # a national administrator after the password
ENROLMENT = "enrolment"  # a national administrator without a second factor yet

OFFICER_UNIT = "B05"  # Bộ Tài chính: subordinate units, outstanding systems, a long table
ROLES = {NATIONAL: (Role.NATIONAL_ADMIN, None), OFFICER: (Role.OFFICER, OFFICER_UNIT)}


@dataclass(frozen=True)
class SitePage:
    name: str  # names the JSON results under var/axe/ and the failures
    who: str
    path: str  # formatted with SiteData's fields
    product: bool = True  # the product's own pages; the admin's are Django's layout
    status: int = 200

    def url(self, data):
        return self.path.format(**vars(data))


SITE_PAGES = (
    SitePage("login", ANONYMOUS, "/login/"),
    SitePage("second-factor", SECOND_FACTOR_STEP, "/accounts/two-factor/"),
    SitePage("second-factor-setup", ENROLMENT, "/accounts/two-factor/setup/"),
    SitePage("national", NATIONAL, "/national/"),
    SitePage("national-as-of-below", NATIONAL, "/national/?as_of=2023-06-30&below=approval"),
    SitePage("unit-list", NATIONAL, "/units/"),
    SitePage("unit", OFFICER, "/units/{unit}/"),
    SitePage("unit-filtered", OFFICER, "/units/{unit}/?level=3&as_of=2024-01-31"),
    SitePage("system", OFFICER, "/systems/{system}/"),
    SitePage("system-note-new", OFFICER, "/systems/{system}/notes/new/"),
    SitePage("reports", NATIONAL, "/reports/"),
    SitePage("report", NATIONAL, "/reports/{report}/"),
    SitePage("accounts", NATIONAL, "/accounts/"),
    SitePage("account", NATIONAL, "/accounts/{account}/"),
    SitePage("account-new", NATIONAL, "/accounts/new/"),
    SitePage("lockouts", NATIONAL, "/accounts/lockouts/"),
    SitePage("invitation", ANONYMOUS, "/accounts/invitation/{invitation_uid}/{invitation_token}/"),
    SitePage("not-found", OFFICER, "/units/KHONG-CO/", status=404),
    SitePage("admin-index", OFFICER, "/admin/", product=False),
    SitePage("admin-systems", OFFICER, "/admin/registry/informationsystem/", product=False),
    SitePage(
        "admin-system-change",
        OFFICER,
        "/admin/registry/informationsystem/{system}/change/",
        product=False,
    ),
    SitePage(
        "admin-system-history",
        OFFICER,
        "/admin/registry/informationsystem/{system}/history/",
        product=False,
    ),
    SitePage("admin-import", OFFICER, "/admin/registry/informationsystem/import/", product=False),
    SitePage("audit-log", NATIONAL, "/admin/audit/auditevent/", product=False),
)


def unlisted_routes(urls, base_url):
    """The routes of the pages at `urls` (the live server's) that SITE_PAGES does not list."""
    any_object = defaultdict(lambda: "1")
    listed = {route_of(page.path.format_map(any_object)) for page in SITE_PAGES}
    visited = {route_of(url) for url in urls if url.startswith(base_url)}
    return sorted(visited - listed)


def route_of(url):
    return resolve(urlsplit(url).path).route


@dataclass(frozen=True)
class SiteData:
    unit: str
    system: int
    report: int
    account: int
    invitation_uid: str
    invitation_token: str


def make_site_data(officer):
    """The objects the pages show, on top of the baseline: a finished report (the reports
    page grows a table), the officer's earlier import (the import page lists it), an
    account to look at, one invited to set a password."""
    unit = Unit.objects.get(code=OFFICER_UNIT)
    system = InformationSystem.objects.filter(owner=unit).order_by("pk").first()
    report = GeneratedReport.objects.create(
        unit=unit,
        as_of=datetime.date(2024, 6, 30),
        format=ReportFormat.PDF,
        status=ReportStatus.DONE,
        progress=100,
        size=123_456,
        checksum="ab" * 32,
        finished_at=timezone.now(),
        created_by=officer,
    )
    ImportBatch.objects.create(
        user=officer,
        default_unit=unit,
        file_name="danh-muc-he-thong-bo-tai-chinh-quy-2-nam-2024.xlsx",
        status=ImportStatus.DRY_RUN,
        total_rows=105,
        message="105 dòng: 3 hệ thống mới, 12 thay đổi.",
    )
    invited = UserFactory()
    invited.set_unusable_password()
    invited.save()
    return SiteData(
        unit=unit.code,
        system=system.pk,
        report=report.pk,
        account=officer.pk,
        invitation_uid=urlsafe_base64_encode(force_bytes(invited.pk)),
        invitation_token=default_token_generator.make_token(invited),
    )
