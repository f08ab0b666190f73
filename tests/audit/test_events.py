"""Each listed action appears in the audit trail after doing it through the real view or command."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from compliance.reports.models import GeneratedReport, ReportStatus
from notifications.models import Delivery, Status
from registry.audit.models import AuditEvent
from registry.models import ImportBatch, Membership, Role
from tests.conftest import PASSWORD
from tests.factories import SystemFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _only(action):
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [(e.action, e.actor_name) for e in AuditEvent.objects.all()]
    return events[0]


def test_sign_in_failed_sign_in_and_sign_out(client, role_user):
    user = role_user(Role.VIEWER, UnitFactory())
    client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    failed = _only("auth.login_failed")
    assert failed.actor is None and failed.data == {"username": user.username}
    assert failed.ip == "127.0.0.1"
    assert "wrong" not in str(failed.data)

    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    login = _only("auth.login")
    assert (login.actor, login.actor_name, login.ip) == (user, user.username, "127.0.0.1")

    client.post(reverse("logout"))
    assert _only("auth.logout").actor == user


def test_imports_dry_run_and_applied_by_command(two_units, role_user, tmp_path):
    province = two_units["a"]["province"]
    officer = role_user(Role.OFFICER, province)
    path = tmp_path / "systems.csv"
    call_command("export_systems", "--out", str(path), "--unit", province.code)
    call_command("import_systems", str(path), "--dry-run", "--user", officer.username)
    dry_run = _only("import.dry_run")
    batch = ImportBatch.objects.get()
    assert (dry_run.actor, dry_run.target_type, dry_run.target_id) == (
        officer,
        "registry.importbatch",
        str(batch.pk),
    )
    assert dry_run.data["rows"] == 2
    call_command("import_systems", str(path), "--user", officer.username)
    assert _only("import.applied").data["file"] == "systems.csv"


def test_import_dry_run_in_the_admin(client, two_units, role_user):
    province = two_units["a"]["province"]
    officer = role_user(Role.OFFICER, province)
    client.force_login(officer)
    export = client.get(reverse("admin:registry_informationsystem_export", args=["csv"]))
    assert _only("export.downloaded").data == {"kind": "systems", "format": "csv"}
    upload = ContentFile(b"".join(export.streaming_content), name="systems.csv")  # streamed
    client.post(reverse("admin:registry_informationsystem_import"), {"file": upload})
    event = _only("import.dry_run")
    assert event.actor == officer


def test_page_exports(client, two_units, national_admin, role_user):
    province = two_units["a"]["province"]
    client.force_login(national_admin)
    assert client.get(reverse("compliance:national_export", args=["csv"])).status_code == 200
    assert _only("export.downloaded").data == {"kind": "national", "format": "csv"}
    viewer = role_user(Role.VIEWER, province)
    client.force_login(viewer)
    url = reverse("compliance:unit_export", args=[province.code, "outstanding", "xlsx"])
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.filter(action="export.downloaded", actor=viewer).get()
    assert event.unit == province
    assert event.data == {"kind": "outstanding", "format": "xlsx"}


def test_report_requested_and_downloaded(client, role_user):
    unit = UnitFactory()
    SystemFactory(owner=unit)
    viewer = role_user(Role.VIEWER, unit)
    client.force_login(viewer)
    response = client.post(
        reverse("reports:list"), {"unit": unit.pk, "as_of": "2024-06-30", "format": "pdf"}
    )
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    requested = _only("report.requested")
    assert (requested.actor, requested.unit, requested.target_id) == (viewer, unit, str(report.pk))

    report.status = ReportStatus.DONE
    report.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200
    downloaded = _only("report.downloaded")
    assert (downloaded.unit, downloaded.target_type) == (unit, "reports.generatedreport")


def test_delivery_sent_again_by_hand(client, national_admin, django_capture_on_commit_callbacks):
    unit = UnitFactory()
    system = SystemFactory(owner=unit)
    delivery = Delivery.objects.create(
        status=Status.FAILED,
        subject="s",
        kind="dossier",
        system=system,
        unit=unit,
        recipient=UserFactory(),
        role="officer",
        planned_for=datetime.date(2024, 9, 1),
        valid_until=datetime.date(2024, 9, 2),
    )
    client.force_login(national_admin)
    client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    event = _only("delivery.resent")
    assert event.actor == national_admin and event.data["deliveries"] == [delivery.pk]


def test_roles_granted_and_revoked_in_the_admin(client, national_admin):
    unit, other = UnitFactory(), UnitFactory()
    user = UserFactory()
    client.force_login(national_admin)
    response = client.post(
        reverse("admin:registry_membership_add"),
        {"user": user.pk, "unit": unit.pk, "role": Role.VIEWER},
    )
    assert response.status_code == 302, response.content
    granted = _only("role.granted")
    assert (granted.unit, granted.target_type, granted.target_id) == (
        unit,
        "auth.user",
        str(user.pk),
    )
    assert granted.data == {"user": user.username, "role": "viewer", "unit": unit.code}

    membership = Membership.objects.get(user=user)
    client.post(
        reverse("admin:registry_membership_change", args=[membership.pk]),
        {"user": user.pk, "unit": other.pk, "role": Role.OFFICER},
    )
    revoked = _only("role.revoked")
    assert revoked.unit == unit and revoked.data["role"] == "viewer"
    assert AuditEvent.objects.filter(action="role.granted", unit=other).count() == 1

    client.post(
        reverse("admin:registry_membership_change", args=[membership.pk]),
        {"user": user.pk, "unit": other.pk, "role": Role.OFFICER},
    )
    assert AuditEvent.objects.filter(action__startswith="role.").count() == 3  # unchanged
