"""Every URL the project serves × every role × objects in and out of scope (issue 9).

The URL list is never written by hand: it is walked from the resolver, the admin's
and the libraries' patterns included. Each route must be classified in ROUTES (pages)
or be an admin route of a model listed in FAMILIES; a new URL fails
`test_every_route_is_classified` with its name until someone says what it is.

The expectations are hand-written from the README's "who sees what": an object of
another unit answers 404 to every role but the national administrator, its marker
string never appears in a body, a POST outside scope or by a read-only role changes
no row (a full dump of the tables is compared).
"""

import datetime
import itertools
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.urls import URLResolver, get_resolver
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_otp.plugins.otp_totp.models import TOTPDevice

from compliance.reports.models import GeneratedReport
from notifications.models import (
    DeadlineCampaign,
    Delivery,
    DossierTimeLimit,
    RecipientPreference,
    UnknownOutcomeDelivery,
)
from registry.audit.actions import record
from registry.dossiers.models import DossierRound
from registry.inspections.models import Inspection, OrganisationAssessment
from registry.models import ImportBatch, Membership, Role
from registry.reorganisation.models import UnitChange
from tests.accounts.sessions import password_only
from tests.factories import (
    SubUnitFactory,
    SystemFactory,
    UnitFactory,
    UserFactory,
    user_with_role,
)

MARKER = "Zqxv"  # in every name of the other unit's records; never in a body an A role gets

ROLES = (
    "anonymous",
    "inactive",
    "no_role",
    "viewer",
    "manager",
    "officer",
    "sub_officer",
    "national",
    "account_admin",  # of province A: its accounts, no registry data
    "no_otp",  # a national administrator after the password, before the second factor
)
LOGGED_OUT = {"anonymous", "inactive"}
A_PROVINCE = {"viewer", "manager", "officer"}  # roles held for province A (its whole subtree)
A_ALL = A_PROVINCE | {"sub_officer"}  # sub_officer: officer of A's department only
OFFICERS = {"officer", "sub_officer"}
SIDES = ("own", "above", "other")  # A's department, province A, province B


def routes(patterns=None, prefix=""):
    """(route, pattern) for every pattern the resolver knows."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


# --- The world ---------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    units: dict
    systems: dict
    objects: dict = field(default_factory=dict)  # (model label, side) -> object
    baseline: dict = None  # the tables before the first POST


def build_world():
    # Past versions whose ids differ from their objects' ids, as in any real registry.
    noise = SystemFactory(name="Hệ thống khác")
    for _ in range(3):
        noise.save()
        noise.owner.save()
    province_a = UnitFactory(name="Tỉnh An Khang", code="PAK")
    dept_a = SubUnitFactory(parent=province_a, name="Sở An Khang", code="PAK-IT")
    province_b = UnitFactory(name=f"Tỉnh {MARKER}", code=f"P{MARKER.upper()}")
    dept_b = SubUnitFactory(parent=province_b, name=f"Sở {MARKER}", code=f"P{MARKER.upper()}-IT")
    units = {"own": dept_a, "above": province_a, "other": province_b, "other_sub": dept_b}
    systems = {
        "own": SystemFactory(owner=dept_a, name="Thư điện tử An Khang", approved=True),
        "above": SystemFactory(owner=province_a, name="Cổng An Khang", approved=True),
        "other": SystemFactory(
            owner=province_b, name=f"Cổng {MARKER}", code=f"{MARKER.upper()}-1", approved=True
        ),
    }
    users = {
        "viewer": user_with_role(Role.VIEWER, province_a),
        "manager": user_with_role(Role.MANAGER, province_a),
        "officer": user_with_role(Role.OFFICER, province_a),
        "sub_officer": user_with_role(Role.OFFICER, dept_a),
        "national": user_with_role(Role.NATIONAL_ADMIN),
        "no_role": UserFactory(),
        "inactive": user_with_role(Role.OFFICER, province_a),
        "officer_b": user_with_role(Role.OFFICER, province_b),
        "account_admin": user_with_role(Role.ACCOUNT_ADMIN, province_a),
        "no_otp": user_with_role(Role.NATIONAL_ADMIN),
    }
    TOTPDevice.objects.create(user=users["no_otp"], name="phone")
    users["officer_b"].username = f"officer{MARKER}"
    users["officer_b"].save()
    users["inactive"].is_active = False
    users["inactive"].save()
    world = World(users, units, systems)
    for label, make in OBJECT_MAKERS.items():
        for side in SIDES:
            world.objects[label, side] = make(world, side)
    for side in SIDES:
        _report(world, side)  # made now, so the pages' URLs create nothing later
    return world


def _membership(world, side):
    unit = world.units[side]
    holder = world.users["officer_b"] if side == "other" else world.users["sub_officer"]
    if side == "above":
        holder = world.users["viewer"]
    return Membership.objects.get(user=holder, unit=unit)


def _batch(world, side):
    user = {"own": "sub_officer", "above": "officer", "other": "officer_b"}[side]
    return ImportBatch.objects.create(
        user=world.users[user],
        file_name=f"{side}-{MARKER if side == 'other' else 'ak'}.csv",
        checksum=side,
        status="dry_run",
        default_unit=world.units[side],
    )


def _campaign(world, side):
    campaign = DeadlineCampaign.objects.create(
        name=f"Chiến dịch {MARKER if side == 'other' else side}",
        requirement="approval",
        issued_on=datetime.date(2024, 2, 23),
        due_date=datetime.date(2024, 9, 30),
    )
    campaign.units.set([world.units[side]])
    return campaign


def _delivery(world, side, status="pending"):
    return Delivery.objects.create(
        status=status,
        subject=status,
        kind="dossier",
        system=world.systems[side],
        unit=world.units[side],
        recipient=world.users["officer_b" if side == "other" else "officer"],
        role="officer",
        planned_for=datetime.date(2024, 9, 1),
        valid_until=datetime.date(2024, 9, 2),
    )


def _periodic_task(world, side):
    interval = IntervalSchedule.objects.create(every=len(side), period="days")
    return PeriodicTask.objects.create(name=f"task {side}", task="x", interval=interval)


def _audit_event(world, side):
    actor = world.users["officer_b" if side == "other" else "officer"]
    return record("role.granted", actor=actor, unit=world.units[side], target=world.units[side])


def _unit_change(world, side):
    unit = world.units[side]
    return UnitChange.objects.create(
        kind="rename",
        unit=unit,
        old_name=unit.name,
        new_name=f"{unit.name} mới",
        effective_on=datetime.date(2030, 1, 1),  # in the future: today's structure unchanged
        legal_basis="Nghị quyết thử",
    )


def _ledger_entry(model, subject, objects):
    """An inspection of a system, or an assessment of a unit, of the side's world."""

    def make(world, side):
        return model.objects.create(
            **{subject: getattr(world, objects)[side]},
            inspected_on=datetime.date(2024, 6, 1),
            kind="independent",
            result="passed",
            notes=MARKER if side == "other" else "",
        )

    return make


def _round(world, side):
    return DossierRound.objects.create(
        system=world.systems[side],
        number=2,
        reason=f"Đổi {MARKER}" if side == "other" else "Đổi",
        started_on=datetime.date(2025, 1, 10),
        proposed_level=3,
    )


def _group(world, side):
    return Group.objects.create(name=f"group {MARKER if side == 'other' else side}")


# label -> maker(world, side); every model the admin registers must be here.
OBJECT_MAKERS = {
    "registry.informationsystem": lambda w, side: w.systems[side],
    "registry.unit": lambda w, side: w.units[side],
    "registry.membership": _membership,
    "registry.importbatch": _batch,
    "notifications.deadlinecampaign": _campaign,
    # Seeded by a migration; all national, like the campaigns' time limits.
    "notifications.dossiertimelimit": lambda w, side: DossierTimeLimit.objects.order_by("pk")[
        SIDES.index(side)
    ],
    "notifications.recipientpreference": lambda w, side: RecipientPreference.objects.create(
        user=w.users[{"own": "sub_officer", "above": "officer", "other": "officer_b"}[side]]
    ),
    "notifications.delivery": _delivery,
    "notifications.unknownoutcomedelivery": lambda w, side: UnknownOutcomeDelivery.objects.get(
        pk=_delivery(w, side, status="unknown").pk
    ),
    "django_celery_beat.periodictask": _periodic_task,
    "django_celery_beat.clockedschedule": lambda w, side: ClockedSchedule.objects.create(
        clocked_time=datetime.datetime(2030, 1, SIDES.index(side) + 1, tzinfo=datetime.UTC)
    ),
    "django_celery_beat.crontabschedule": lambda w, side: CrontabSchedule.objects.create(
        minute=str(SIDES.index(side))
    ),
    "django_celery_beat.solarschedule": lambda w, side: SolarSchedule.objects.create(
        event="sunrise", latitude=10 + SIDES.index(side), longitude=106
    ),
    "django_celery_beat.intervalschedule": lambda w, side: IntervalSchedule.objects.create(
        every=10 + SIDES.index(side), period="hours"
    ),
    "auth.user": lambda w, side: w.users[
        {"own": "sub_officer", "above": "viewer", "other": "officer_b"}[side]
    ],
    "auth.group": _group,
    "audit.auditevent": _audit_event,
    "reorganisation.unitchange": _unit_change,
    "inspections.inspection": _ledger_entry(Inspection, "system", "systems"),
    "inspections.organisationassessment": _ledger_entry(OrganisationAssessment, "unit", "units"),
    "dossiers.dossierround": _round,
}


@dataclass(frozen=True)
class Family:
    """Who may read and who may change a model's objects, by side (hand-written)."""

    readers: dict  # side -> roles
    writers: dict = field(default_factory=dict)
    deleters: frozenset = frozenset()
    adders: frozenset = frozenset()  # beyond the writers: roles that add but never change

    def reads(self, role, side):
        return role in self.readers.get(side, ())

    def writes(self, role, side):
        return role in self.writers.get(side, ())


EVERY_SIDE = dict.fromkeys(SIDES, {"national"})
NOBODY = Family(readers={})  # library admins: Django model permissions, which no role holds
# The systems, and what officers record about them or their units (inspections, organisation
# assessments, re-determination rounds): read in the subtree, written by its officers.
SYSTEM_RECORDS = Family(
    readers={
        "own": A_ALL | {"national"},
        "above": A_PROVINCE | {"national"},
        "other": {"national"},
    },
    writers={
        "own": OFFICERS | {"national"},
        "above": {"officer", "national"},
        "other": {"national"},
    },
)
FAMILIES = {
    "registry.informationsystem": SYSTEM_RECORDS,
    "registry.unit": Family(
        readers={
            "own": A_ALL | {"national"},
            "above": A_PROVINCE | {"national"},
            "other": {"national"},
        },
        writers=EVERY_SIDE,
    ),
    "registry.membership": Family(readers=EVERY_SIDE, writers=EVERY_SIDE),
    "registry.importbatch": Family(
        readers={
            "own": {"sub_officer", "national"},
            "above": {"officer", "national"},
            "other": {"national"},
        }
    ),
    "notifications.deadlinecampaign": Family(EVERY_SIDE, EVERY_SIDE, frozenset({"national"})),
    "notifications.dossiertimelimit": Family(EVERY_SIDE, EVERY_SIDE, frozenset({"national"})),
    "notifications.recipientpreference": Family(EVERY_SIDE, EVERY_SIDE, frozenset({"national"})),
    "notifications.delivery": Family(EVERY_SIDE, {}, frozenset({"national"})),
    "notifications.unknownoutcomedelivery": Family(EVERY_SIDE, {}, frozenset({"national"})),
    # Read-only for everyone; a unit's account administrator reads its subtree's events.
    "audit.auditevent": Family(
        readers={
            "own": {"national", "account_admin"},
            "above": {"national", "account_admin"},
            "other": {"national"},
        }
    ),
    # Recorded by national administrators, then never edited: cancelled by an action.
    "reorganisation.unitchange": Family(readers=EVERY_SIDE, adders=frozenset({"national"})),
    # The inspection ledger (registry/inspections): scoped by its system, or its unit.
    "inspections.inspection": SYSTEM_RECORDS,
    "inspections.organisationassessment": SYSTEM_RECORDS,
    # Re-determination rounds (registry/dossiers): scoped by their system; this one is open.
    "dossiers.dossierround": SYSTEM_RECORDS,
    **{
        label: NOBODY
        for label in OBJECT_MAKERS
        if label.split(".")[0] in ("auth", "django_celery_beat")
    },
}


# --- Expectations ------------------------------------------------------------------------

LOGIN = "login"  # a redirect to a login page
NOT_FOUND, FORBIDDEN, OK, REDIRECT = 404, 403, 200, 302


def _version_url(base, obj):
    return f"{base}{obj.pk}/history/{obj.history.latest().history_id}/"


# Shapes of a model admin's own URLs: suffix -> (url(base, obj), GET expectation(family, role,
# side)). POSTs: see _post_expectation.
OBJECT_SHAPES = {
    "<path:object_id>/change/": (lambda b, o: f"{b}{o.pk}/change/", lambda f, r, s: OK),
    "<path:object_id>/history/": (lambda b, o: f"{b}{o.pk}/history/", lambda f, r, s: OK),
    "<path:object_id>/": (lambda b, o: f"{b}{o.pk}/", lambda f, r, s: REDIRECT),
    "<path:object_id>/delete/": (
        lambda b, o: f"{b}{o.pk}/delete/",
        lambda f, r, s: OK if r in f.deleters else FORBIDDEN,
    ),
    "^([^/]+)/history/([^/]+)/$": (_version_url, lambda f, r, s: OK),
    "<id>/password/": (lambda b, o: f"{b}{o.pk}/password/", lambda f, r, s: FORBIDDEN),
}
LIST_SHAPES = {
    "": lambda f, role: OK if any(f.reads(role, side) for side in SIDES) else FORBIDDEN,
    "add/": lambda f, role: (
        OK if role in f.adders or any(f.writes(role, side) for side in SIDES) else FORBIDDEN
    ),
}


@dataclass
class Page:
    """A non-model URL: how to fill it for a side (or None), and the GET status per role/side."""

    url: object
    get: object
    post: object = None  # status expected of a POST for (role, side), or None: not posted


def _unit_readers(role, side):
    return FAMILIES["registry.unit"].reads(role, side)


def _report(world, side):
    return GeneratedReport.objects.get_or_create(
        unit=world.units[side], as_of=datetime.date(2024, 6, 30), format="pdf"
    )[0]


def _scoped(ok):
    return lambda role, side: ok if _unit_readers(role, side) else NOT_FOUND


LOGGED_IN_ANY = lambda role, side: OK  # noqa: E731
NATIONAL_ONLY = lambda role, side: OK if role == "national" else NOT_FOUND  # noqa: E731
REGISTRY_READERS = A_ALL | {"national"}


def _app_index_route():
    labels = dict.fromkeys(model._meta.app_label for model in admin.site._registry)
    return f"admin/^(?P<app_label>{'|'.join(labels)})/$"


def _annual_url(suffix):
    return lambda w, s: f"/annual/2024/{w.units[s].code}/{suffix}"


def _annual_reader(role, side):
    """Only reporting units have an annual report: A's department ("own") has none."""
    return OK if side != "own" and _unit_readers(role, side) else NOT_FOUND


def _annual_officer(role, side):
    return role == "officer" and side == "above"  # an officer of province A itself


def _annual_national(role, side):
    return role == "national"


def _annual_refusal(role, side, may):
    """None where the role may act; else 403 for a report it may read, 404 for any other."""
    if _annual_reader(role, side) != OK:
        return NOT_FOUND
    return None if may(role, side) else FORBIDDEN


MANAGERS = {"national", "account_admin"}


def _account(world, side):
    return world.users[{"own": "sub_officer", "above": "viewer", "other": "officer_b"}[side]]


def _may_manage(role, side):
    return role == "national" or (role == "account_admin" and side != "other")


def _account_reader(role, side):
    return OK if _may_manage(role, side) else NOT_FOUND


def _account_refusal(role, side):
    """A write refused: 403 for an account the role may see, 404 for any other."""
    return FORBIDDEN if _account_reader(role, side) == OK else NOT_FOUND


def _uid(user):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def _attempt(world, side):
    return AccessAttempt.objects.get_or_create(
        username=_account(world, side).username,
        ip_address=f"192.0.2.{SIDES.index(side) + 1}",
        user_agent="test",
        defaults={
            "http_accept": "*/*",
            "path_info": "/login/",
            "get_data": "",
            "post_data": "",
            "failures_since_start": 11,
        },
    )[0]


# --- The REST API (issue 16): the session roles here, the same roles by token in _check_page --

EMPTY_BODY = 400  # the matrix posts an empty form: no rows, once the role may write
SECOND_FACTOR_ROLES = {"national", "account_admin"}  # signed in with both steps


def _api_token(world, side):
    """A token of the user of `side` (the user's own token is a legitimate write: not posted).
    Made without enrolling a device, which would send that user to the second factor."""
    from registry.api.actions import issue_token

    expires_on = datetime.date.today() + datetime.timedelta(days=30)
    return issue_token(actor=_account(world, side), label=f"token {side}", expires_on=expires_on)[0]


def _own_token(role, side):
    return (role, side) in {("sub_officer", "own"), ("viewer", "above")}


def _system_reader(role, side):
    return OK if FAMILIES["registry.informationsystem"].reads(role, side) else NOT_FOUND


API_PAGES = {
    "accounts/api-tokens/": Page(
        lambda w, s: "/accounts/api-tokens/",
        LOGGED_IN_ANY,
        # An empty form: its errors for a verified session, the second-factor advice otherwise.
        post=lambda r, s: OK if r in SECOND_FACTOR_ROLES else REDIRECT,
    ),
    "accounts/api-tokens/<int:pk>/revoke/": Page(
        lambda w, s: f"/accounts/api-tokens/{_api_token(w, s).pk}/revoke/",
        lambda r, s: 405,
        post=lambda r, s: None if _own_token(r, s) else NOT_FOUND,
    ),
    "api/v1/summary/": Page(lambda w, s: f"/api/v1/summary/?unit={w.units[s].code}", _scoped(OK)),
    "api/v1/campaigns/": Page(lambda w, s: "/api/v1/campaigns/", LOGGED_IN_ANY),
    "api/v1/schema/": Page(lambda w, s: "/api/v1/schema/", LOGGED_IN_ANY),
    "api/v1/docs/": Page(lambda w, s: "/api/v1/docs/", LOGGED_IN_ANY),
    "api/v1/^units/$": Page(lambda w, s: "/api/v1/units/", LOGGED_IN_ANY),
    "api/v1/^units/(?P<pk>[^/.]+)/$": Page(
        lambda w, s: f"/api/v1/units/{w.units[s].pk}/", _scoped(OK)
    ),
    "api/v1/^systems/$": Page(lambda w, s: f"/api/v1/systems/?unit={w.units[s].code}", _scoped(OK)),
    "api/v1/^systems/bulk/$": Page(
        lambda w, s: "/api/v1/systems/bulk/",
        lambda r, s: 405,
        post=lambda r, s: EMPTY_BODY if r in OFFICERS | {"national"} else FORBIDDEN,
    ),
    "api/v1/^systems/(?P<pk>[^/.]+)/$": Page(
        lambda w, s: f"/api/v1/systems/{w.systems[s].pk}/", _system_reader
    ),
    "api/v1/^systems/(?P<pk>[^/.]+)/history/$": Page(
        lambda w, s: f"/api/v1/systems/{w.systems[s].pk}/history/", _system_reader
    ),
    "api/v1/^reports/$": Page(lambda w, s: "/api/v1/reports/", LOGGED_IN_ANY),
    "api/v1/^reports/(?P<pk>[^/.]+)/$": Page(
        lambda w, s: f"/api/v1/reports/{_report(w, s).pk}/", _scoped(OK)
    ),
    "api/v1/^reports/(?P<pk>[^/.]+)/download/$": Page(
        # No file was generated: a 404 in scope too, as on the page.
        lambda w, s: f"/api/v1/reports/{_report(w, s).pk}/download/",
        lambda r, s: NOT_FOUND,
    ),
}


def _token_for(world, role):
    """The Authorization header of a token of the role's user, made once per world."""
    from tests.api.conftest import issue

    key = ("token", role)
    if key not in world.objects:
        world.objects[key] = issue(world.users[role], label=f"matrix {role}")[1]
    return f"Bearer {world.objects[key]}"


def _check_token_get(client, world, role, url, expected):
    """The same GET with the role's API token instead of its session (a fresh client)."""
    from django.test import Client

    response = Client().get(url, HTTP_AUTHORIZATION=_token_for(world, role))
    if role == "inactive":
        assert response.status_code == 401, f"inactive token GET {url}"
        return
    expected = expected if isinstance(expected, set) else {expected}
    assert response.status_code in expected, f"{role} token GET {url}: {response.status_code}"
    if role != "national":
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER.encode() not in body, f"{role} token GET {url} shows another unit"


def _system_note_refusal(role, side):
    """None for who may write a note on the side's system, else 403 (a reader) or 404."""
    systems = FAMILIES["registry.informationsystem"]
    if systems.writes(role, side):
        return None
    return FORBIDDEN if systems.reads(role, side) else NOT_FOUND


PAGES = {
    "": Page(lambda w, s: "/", lambda role, side: {OK, REDIRECT}),  # one unit: its page
    "login/": Page(lambda w, s: "/login/", lambda role, side: REDIRECT),
    "logout/": Page(lambda w, s: "/logout/", lambda role, side: 405),
    "i18n/setlang/": Page(lambda w, s: "/i18n/setlang/?next=/", lambda role, side: REDIRECT),
    "national/": Page(lambda w, s: "/national/", NATIONAL_ONLY),
    "national/export/<str:fmt>/": Page(lambda w, s: "/national/export/csv/", NATIONAL_ONLY),
    "units/": Page(lambda w, s: "/units/", LOGGED_IN_ANY),
    "units/<str:code>/": Page(lambda w, s: f"/units/{w.units[s].code}/", _scoped(OK)),
    "units/<str:code>/export/<str:table>/<str:fmt>/": Page(
        lambda w, s: f"/units/{w.units[s].code}/export/outstanding/xlsx/", _scoped(OK)
    ),
    "systems/<int:pk>/": Page(
        lambda w, s: f"/systems/{w.systems[s].pk}/",
        lambda role, side: (
            OK if FAMILIES["registry.informationsystem"].reads(role, side) else NOT_FOUND
        ),
    ),
    # Notes on a system (registry/notes/): its officers write, its readers are refused a 403.
    "systems/<int:pk>/notes/new/": Page(
        lambda w, s: f"/systems/{w.systems[s].pk}/notes/new/",
        lambda role, side: _system_note_refusal(role, side) or OK,
        post=_system_note_refusal,  # a writer's POST writes: tests/notes/ tries it
    ),
    "reports/": Page(
        lambda w, s: "/reports/",
        lambda role, side: OK if role in REGISTRY_READERS else FORBIDDEN,
    ),
    "reports/<int:pk>/": Page(lambda w, s: f"/reports/{_report(w, s).pk}/", _scoped(OK)),
    "reports/<int:pk>/status/": Page(
        lambda w, s: f"/reports/{_report(w, s).pk}/status/", _scoped(OK)
    ),
    "reports/<int:pk>/download/": Page(
        # No file was generated: in scope it is still a 404, but never a leak or a 500.
        lambda w, s: f"/reports/{_report(w, s).pk}/download/",
        lambda role, side: NOT_FOUND,
    ),
    "reports/<int:pk>/retry/": Page(
        lambda w, s: f"/reports/{_report(w, s).pk}/retry/",
        lambda role, side: 405,
        post=lambda role, side: None if _unit_readers(role, side) else NOT_FOUND,
    ),
    # Report files of the inspection ledger: none stored here, so a 404 in scope too, and
    # never a leak (tests/inspections/test_pages.py downloads one).
    "inspections/<int:pk>/report/": Page(
        lambda w, s: f"/inspections/{w.objects['inspections.inspection', s].pk}/report/",
        lambda role, side: NOT_FOUND,
    ),
    "inspections/assessments/<int:pk>/report/": Page(
        lambda w, s: (
            f"/inspections/assessments/{w.objects['inspections.organisationassessment', s].pk}"
            "/report/"
        ),
        lambda role, side: NOT_FOUND,
    ),
    # Systems below the level the criteria give (registry/levels): every reader, in scope.
    "levels/below-suggestion/": Page(
        lambda w, s: "/levels/below-suggestion/",
        lambda role, side: OK if role in REGISTRY_READERS else FORBIDDEN,
    ),
    # The admin site's own pages.
    "admin/": Page(lambda w, s: "/admin/", LOGGED_IN_ANY),
    "admin/login/": Page(lambda w, s: "/admin/login/", lambda role, side: REDIRECT),
    "admin/logout/": Page(
        lambda w, s: "/admin/logout/",
        lambda role, side: REDIRECT if role in LOGGED_OUT else 405,  # to the admin index
    ),
    "admin/password_change/": Page(lambda w, s: "/admin/password_change/", LOGGED_IN_ANY),
    "admin/password_change/done/": Page(lambda w, s: "/admin/password_change/done/", LOGGED_IN_ANY),
    "admin/autocomplete/": Page(
        lambda w, s: (
            "/admin/autocomplete/?app_label=registry&model_name=informationsystem"
            "&field_name=owner&term=a"
        ),
        lambda role, side: OK if role in REGISTRY_READERS else FORBIDDEN,
    ),
    "admin/jsi18n/": Page(lambda w, s: "/admin/jsi18n/", LOGGED_IN_ANY),
    "admin/r/<path:content_type_id>/<path:object_id>/": Page(
        # No model has get_absolute_url: the shortcut answers 404 whoever asks.
        lambda w, s: f"/admin/r/{_content_type_id(w.systems[s])}/{w.systems[s].pk}/",
        lambda role, side: NOT_FOUND,
    ),
    # The app index's pattern lists the labels of the apps with a registered admin.
    _app_index_route(): Page(
        lambda w, s: "/admin/registry/",
        lambda role, side: OK if role in REGISTRY_READERS else NOT_FOUND,
    ),
    "admin/(?P<url>.*)$": Page(lambda w, s: "/admin/no-such-page/", lambda r, s: NOT_FOUND),
    # The import and export (registry/import_admin.py).
    "admin/registry/informationsystem/import/": Page(
        lambda w, s: "/admin/registry/informationsystem/import/",
        lambda role, side: OK if role in OFFICERS | {"national"} else FORBIDDEN,
    ),
    "admin/registry/informationsystem/import/<int:batch_id>/confirm/": Page(
        lambda w, s: (
            f"/admin/registry/informationsystem/import/"
            f"{w.objects['registry.importbatch', s].pk}/confirm/"
        ),
        lambda role, side: FORBIDDEN,  # confirming is a POST
        post=lambda role, side: (
            (NOT_FOUND if side == "other" else None)
            if role in OFFICERS | {"national"}
            else FORBIDDEN
        ),
    ),
    "admin/registry/informationsystem/import/template/<str:fmt>/": Page(
        lambda w, s: "/admin/registry/informationsystem/import/template/csv/", LOGGED_IN_ANY
    ),
    "admin/registry/informationsystem/export/<str:fmt>/": Page(
        lambda w, s: "/admin/registry/informationsystem/export/csv/",
        lambda role, side: OK if role in REGISTRY_READERS else NOT_FOUND,
    ),
    # A split's systems reassigned (registry/reorganisation/admin.py): the world's changes
    # are renames, so a national administrator is told 400; everyone else 404.
    "admin/reorganisation/unitchange/<str:change_id>/reassign/": Page(
        lambda w, s: (
            f"/admin/reorganisation/unitchange/"
            f"{w.objects['reorganisation.unitchange', s].pk}/reassign/"
        ),
        lambda role, side: 400 if role == "national" else NOT_FOUND,
        post=lambda role, side: 400 if role == "national" else NOT_FOUND,
    ),
    # The audit trail's CSV export (registry/audit/admin.py).
    "admin/audit/auditevent/export/": Page(
        lambda w, s: "/admin/audit/auditevent/export/",
        lambda role, side: OK if role in ("national", "account_admin") else FORBIDDEN,
    ),
    # Accounts (registry/accounts/): national and account administrators, each in their scope.
    "accounts/": Page(lambda w, s: "/accounts/", lambda r, s: OK if r in MANAGERS else FORBIDDEN),
    "accounts/new/": Page(
        lambda w, s: "/accounts/new/",
        lambda r, s: OK if r in MANAGERS else FORBIDDEN,
        post=lambda r, s: OK if r in MANAGERS else FORBIDDEN,  # an empty form: errors, no row
    ),
    "accounts/<int:pk>/": Page(lambda w, s: f"/accounts/{_account(w, s).pk}/", _account_reader),
    **{
        f"accounts/<int:pk>/{action}/": Page(
            lambda w, s, action=action: f"/accounts/{_account(w, s).pk}/{action}/",
            lambda r, s: 405,
            post=lambda r, s, may=may: None if may(r, s) else _account_refusal(r, s),
        )
        for action, may in (
            ("deactivate", _may_manage),
            ("invite", _may_manage),
            ("reset-two-factor", lambda r, s: r == "national"),
        )
    },
    "accounts/<int:pk>/roles/": Page(  # an empty form: back to the account with the error
        lambda w, s: f"/accounts/{_account(w, s).pk}/roles/",
        lambda r, s: 405,
        post=lambda r, s: REDIRECT if _may_manage(r, s) else _account_refusal(r, s),
    ),
    "accounts/<int:pk>/roles/<int:membership_pk>/revoke/": Page(
        lambda w, s: (
            f"/accounts/{_account(w, s).pk}/roles/{_account(w, s).memberships.get().pk}/revoke/"
        ),
        lambda r, s: 405,
        post=lambda r, s: None if _may_manage(r, s) else _account_refusal(r, s),
    ),
    # Only a role carried over from a merged unit waits for confirmation; these don't.
    "accounts/<int:pk>/roles/<int:membership_pk>/confirm/": Page(
        lambda w, s: (
            f"/accounts/{_account(w, s).pk}/roles/{_account(w, s).memberships.get().pk}/confirm/"
        ),
        lambda r, s: 405,
        post=lambda r, s: NOT_FOUND if _may_manage(r, s) else _account_refusal(r, s),
    ),
    "accounts/lockouts/": Page(lambda w, s: "/accounts/lockouts/", NATIONAL_ONLY),
    "accounts/lockouts/<int:pk>/unlock/": Page(
        lambda w, s: f"/accounts/lockouts/{_attempt(w, s).pk}/unlock/",
        lambda r, s: 405,
        post=lambda r, s: None if r == "national" else NOT_FOUND,
    ),
    "accounts/invitation/<uidb64>/<token>/": Page(  # a forged token: the invalid-link page
        lambda w, s: f"/accounts/invitation/{_uid(_account(w, s))}/x-y/", lambda r, s: OK
    ),
    # The second factor: asked of no_otp; others have passed it or are sent to enrol.
    # The annual report (compliance/annual/): its reporting unit's readers read it, its
    # officers prepare and submit it, national administrators receive or return it.
    "annual/": Page(lambda w, s: "/annual/", lambda r, s: REDIRECT if r == "national" else OK),
    "annual/status/": Page(lambda w, s: "/annual/status/?year=2024", NATIONAL_ONLY),
    "annual/status/export/": Page(lambda w, s: "/annual/status/export/", NATIONAL_ONLY),
    "annual/<int:year>/<str:code>/": Page(_annual_url(""), _annual_reader),
    "annual/<int:year>/<str:code>/download/<str:fmt>/": Page(
        _annual_url("download/pdf/"),
        lambda r, s: NOT_FOUND,  # nothing prepared: no file
    ),
    **{
        f"annual/<int:year>/<str:code>/{action}/": Page(
            _annual_url(f"{action}/"),
            lambda r, s: 405,
            post=lambda r, s, may=may: _annual_refusal(r, s, may),
        )
        for action, may in (
            ("prepare", _annual_officer),
            ("submit", _annual_officer),
            ("receive", _annual_national),
            ("return", _annual_national),
        )
    },
    "accounts/two-factor/": Page(
        lambda w, s: "/accounts/two-factor/", lambda r, s: OK if r == "no_otp" else REDIRECT
    ),
    "accounts/two-factor/setup/": Page(
        lambda w, s: "/accounts/two-factor/setup/",
        lambda r, s: REDIRECT if r == "no_otp" else OK,
    ),
    **API_PAGES,
}


def _content_type_id(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def admin_route(route):
    """(model label, suffix) of a model admin's route, or None."""
    for model in admin.site._registry:
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route.startswith(base) and route not in PAGES:
            return model._meta.label_lower, route[len(base) :]
    return None


def classify(route):
    """What the matrix knows of a route; AssertionError naming it when nothing."""
    if route in PAGES:
        return PAGES[route]
    found = admin_route(route)
    assert found, f"new URL {route!r}: classify it in PAGES or FAMILIES"
    label, suffix = found
    assert label in FAMILIES and label in OBJECT_MAKERS, f"admin model {label}: add a Family"
    assert suffix in OBJECT_SHAPES or suffix in LIST_SHAPES, f"new admin URL shape {route!r}"
    return found


ALL_ROUTES = sorted({route for route, _ in routes()})


def test_every_route_is_classified():
    for route in ALL_ROUTES:
        classify(route)
    assert not set(PAGES) - set(ALL_ROUTES), "PAGES names a URL that is gone"
    assert set(OBJECT_MAKERS) == {m._meta.label_lower for m in admin.site._registry}


# --- The matrix --------------------------------------------------------------------------

DUMPED_APPS = (
    "registry",
    "notifications",
    "reports",
    "annual",
    "auth",
    "django_celery_beat",
    "admin",
    "inspections",
    "dossiers",
    "reorganisation",
)


def dump():
    """Every row of the tables a write could touch (many-to-many tables included), as values."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in DUMPED_APPS:
            # Logging in as each role sets last_login: not a write under test.
            fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


def _client_for(client, world, role):
    client.logout()
    if role == "no_otp":
        password_only(client, world.users[role])
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


# What a user who owes the second factor may still reach; anything else answers that step.
SECOND_FACTOR_OPEN = ("/logout/", "/i18n/", "/accounts/invitation/", "/accounts/two-factor/")


def _assert_second_factor_step(role, response, url):
    assert response.status_code == REDIRECT, f"{role} {url}: {response.status_code}"
    assert response["Location"].startswith("/accounts/two-factor/"), f"{role} {url}"


def _assert_login_redirect(response, url):
    assert response.status_code == REDIRECT, url
    assert "login" in response["Location"], url


def _check_get(client, world, role, url, expected):
    response = client.get(url)
    public = url.startswith(
        (
            "/login/",
            "/admin/login/",
            "/i18n/",
            "/logout/",
            "/admin/logout/",
            "/accounts/invitation/",
        )
    )
    if role in LOGGED_OUT and not public:
        if url.startswith("/api/"):  # no login page for a script: 401 and the problem format
            assert response.status_code == 401, f"{role} GET {url}: {response.status_code}"
            return
        _assert_login_redirect(response, url)
        return
    if role == "no_otp" and not url.startswith(SECOND_FACTOR_OPEN):
        _assert_second_factor_step(role, response, url)
        return
    if role in LOGGED_OUT and url.startswith("/login/"):
        expected = OK
    expected = expected if isinstance(expected, set) else {expected}
    assert response.status_code in expected, f"{role} GET {url}: {response.status_code}"
    if role != "national":
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER.encode() not in body, f"{role} GET {url} shows another unit"


def _attack_data(world, obj):
    """The object's own fields with its name changed and its unit moved to the attacker's."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        if isinstance(value, FieldFile):
            value = value.name
        data[name] = "" if value is None else value
    for key in ("owner", "parent", "unit"):
        if key in data:
            data[key] = world.units["own"].pk
    if "name" in data:
        data["name"] = "Đã bị sửa"
    data["_save"] = "1"
    return data


def _check_post(client, world, role, url, expected, data):
    # Every POST here must be refused, so all of them are compared with one dump.
    if world.baseline is None:
        world.baseline = dump()
    before = world.baseline
    response = client.post(url, data)
    if role == "no_otp":
        _assert_second_factor_step(role, response, url)
    elif role in LOGGED_OUT:
        assert response.status_code in (REDIRECT, FORBIDDEN, 401), f"{role} POST {url}"
    else:
        assert response.status_code == expected, f"{role} POST {url}: {response.status_code}"
    assert dump() == before, f"{role} POST {url} changed rows"


def _post_expectation(family, shape, role, side):
    """Status of a POST to an object URL, or None where the role may legitimately write."""
    if not family.reads(role, side):
        return NOT_FOUND
    if shape == "^([^/]+)/history/([^/]+)/$":
        return FORBIDDEN  # past versions are read-only for everyone
    if shape == "<path:object_id>/delete/":
        return None if role in family.deleters else FORBIDDEN
    return None if family.writes(role, side) else FORBIDDEN


@pytest.mark.django_db
@pytest.mark.parametrize("route", ALL_ROUTES)
def test_route_for_every_role_and_object(route, client):
    world = build_world()
    known = classify(route)
    problems = []  # every role and side is tried, so a hole shows with all it opens
    for role, side in itertools.product(ROLES, SIDES):
        if side == SIDES[0]:
            _client_for(client, world, role)
        try:
            if isinstance(known, Page):
                _check_page(client, world, known, role, side)
            else:
                _check_admin(client, world, known, role, side)
        except AssertionError as problem:
            problems.append(f"{side}: {problem}".splitlines()[0])
    assert not problems, "\n".join(problems)


def _check_page(client, world, page, role, side):
    url = page.url(world, side)
    _check_get(client, world, role, url, page.get(role, side))
    if url.startswith("/api/") and role not in ("anonymous", "no_otp"):
        _check_token_get(client, world, role, url, page.get(role, side))
    expected = page.post and page.post(role, side)
    if expected:
        _check_post(client, world, role, url, expected, {})


def url_for(world, route, side="own"):
    """The URL of `route` filled with the object of `side`."""
    known = classify(route)
    if isinstance(known, Page):
        return known.url(world, side)
    label, suffix = known
    base = f"/admin/{label.replace('.', '/')}/"
    if suffix in LIST_SHAPES:
        return base + suffix
    return OBJECT_SHAPES[suffix][0](base, world.objects[label, side])


def _check_admin(client, world, known, role, side):
    label, suffix = known
    family = FAMILIES[label]
    url = url_for(world, f"admin/{label.replace('.', '/')}/{suffix}", side)
    if suffix in LIST_SHAPES:
        if side == "own":  # one object-free URL: once per role
            _check_get(client, world, role, url, LIST_SHAPES[suffix](family, role))
        return
    get_expectation = OBJECT_SHAPES[suffix][1]
    obj = world.objects[label, side]
    expected = get_expectation(family, role, side) if family.reads(role, side) else NOT_FOUND
    _check_get(client, world, role, url, expected)
    post_expected = _post_expectation(family, suffix, role, side)
    if post_expected:
        _check_post(client, world, role, url, post_expected, _attack_data(world, obj))
