"""Pure rules of the audit trail: action names, the client address, the retention cut-off."""

import ipaddress
import re
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

# The actions the product records, with their labels for the admin's filter. Others may be
# recorded too (any dotted lower-case name); they are listed by their name.
ACTIONS = {
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.logout": _("Signed out"),
    "auth.lockout": _("Locked out"),
    "auth.unlock": _("Unlocked"),
    "account.created": _("Account created"),
    "account.deactivated": _("Account deactivated"),
    "role.granted": _("Role granted"),
    "role.revoked": _("Role revoked"),
    "import.applied": _("Import applied"),
    "import.dry_run": _("Import dry run"),
    "import.rejected": _("Import refused"),
    "import.failed": _("Import failed"),
    "export.downloaded": _("Export downloaded"),
    "report.requested": _("Report requested"),
    "report.downloaded": _("Report downloaded"),
    "delivery.resent": _("E-mail sent again"),
    "otp.reset": _("Two-factor device reset"),
    "unit_change.recorded": _("Unit change recorded"),
    "unit_change.cancelled": _("Unit change cancelled"),
    "unit_change.applied": _("Unit change took effect"),
    "system.reassigned": _("System reassigned after a split"),
    "annual_report.prepared": _("Annual report prepared"),
    "annual_report.submitted": _("Annual report submitted"),
    "annual_report.received": _("Annual report received"),
    "annual_report.returned": _("Annual report returned"),
    "annual_report.downloaded": _("Annual report downloaded"),
}


def validate_action(action):
    if not isinstance(action, str) or len(action) > 64 or not ACTION_PATTERN.match(action):
        raise ValueError(f"Not an audit action name: {action!r}")
    return action


def _ip(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(meta, trusted_proxy_count=0):
    """The client's address from a request's META.

    Without a trusted proxy it is REMOTE_ADDR: X-Forwarded-For is the client's own word.
    Behind `trusted_proxy_count` proxies, each of which appends the address it saw, the
    client is the hop the outermost trusted proxy appended: counted from the right, so that
    entries a client wrote itself further left are never taken. With one proxy that sets
    the header to the peer it saw, that is the header's first and only hop."""
    remote = _ip(meta.get("REMOTE_ADDR") or "")
    if trusted_proxy_count <= 0:
        return remote
    hops = [hop for hop in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    if len(hops) < trusted_proxy_count:
        return remote
    return _ip(hops[-trusted_proxy_count]) or remote


def target_of(obj):
    """(type, id) naming an object: "registry.informationsystem", "42"; empty without one."""
    if obj is None:
        return "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", "" if obj.pk is None else str(obj.pk)


def retention_cutoff(now, retention_days):
    """Events before this moment are past retention."""
    if retention_days < 1:
        raise ValueError("AUDIT_RETENTION_DAYS must be at least 1.")
    return now - timedelta(days=retention_days)
