"""Writes of delegated accounts: each atomic, with its audit event in the same transaction.

Callers load the account through `registry.scope.get_account_for_user(..., write=True)`
and the unit through the manager's own scope first; the rules are checked again here.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import scope
from registry.accounts import rules
from registry.audit.actions import record
from registry.models import Membership


def _check_grant(actor, role, unit):
    rules.validate_grant(
        role,
        unit.path if unit is not None else None,
        is_national=scope.is_national_admin(actor),
        manager_paths=list(scope.account_admin_units(actor).values_list("path", flat=True)),
    )


@transaction.atomic
def create_account(*, actor, username, full_name, email, role, unit, request=None):
    """A new active account holding one role, with no usable password until the invitation
    link is followed; the invitation e-mail leaves when the transaction commits."""
    _check_grant(actor, role, unit)
    first, _, last = full_name.strip().rpartition(" ")
    account = get_user_model()(
        username=username,
        email=email,
        first_name=first if last else "",
        last_name=last or full_name.strip(),
        is_staff=True,
    )
    account.set_unusable_password()
    account.full_clean(exclude=["password"])
    account.save()
    record("account.created", actor=actor, unit=unit, target=account, request=request)
    grant_role(account, role, unit, actor=actor, request=request)
    transaction.on_commit(lambda: send_invitation(account))
    return account


def _role_data(membership):
    """As the admin's role events say it (registry/audit/actions.py)."""
    unit = membership.unit
    return {
        "user": membership.user.get_username(),
        "role": membership.role,
        "unit": unit.code if unit else None,
    }


@transaction.atomic
def grant_role(account, role, unit, *, actor, request=None):
    _check_grant(actor, role, unit)
    membership, created = Membership.objects.get_or_create(user=account, role=role, unit=unit)
    # Granting a role that was carried over from a merged unit confirms it.
    confirmed = not created and Membership.objects.filter(pk=membership.pk, pending=True).update(
        pending=False
    )
    if created or confirmed:
        data = _role_data(membership)
        record("role.granted", actor=actor, unit=unit, target=account, data=data, request=request)
    return membership


@transaction.atomic
def revoke_role(membership, *, actor, request=None):
    if membership.user_id == actor.pk:
        raise PermissionDenied  # no one drops their own role (the last national admin, say)
    _check_grant(actor, membership.role, membership.unit)
    data = _role_data(membership)
    membership.delete()
    unit = membership.unit
    record(
        "role.revoked", actor=actor, unit=unit, target=membership.user, data=data, request=request
    )


@transaction.atomic
def confirm_carried_role(membership, *, actor, request=None):
    """A role carried over from a merged unit (registry/reorganisation) starts to count."""
    _check_grant(actor, membership.role, membership.unit)
    if Membership.objects.filter(pk=membership.pk, pending=True).update(pending=False):
        data = {**_role_data(membership), "carried_over_from": membership.carried_over_from.code}
        record(
            "role.granted",
            actor=actor,
            unit=membership.unit,
            target=membership.user,
            data=data,
            request=request,
        )


def _locked(account):
    return get_user_model().objects.select_for_update().get(pk=account.pk)


@transaction.atomic
def deactivate_account(account, *, actor, request=None):
    """The account can no longer sign in; everything it did stays (nothing is deleted)."""
    if account.pk == actor.pk:
        raise PermissionDenied
    account = _locked(account)
    if not account.is_active:
        return account
    account.is_active = False
    account.save(update_fields=["is_active"])
    unit = Membership.objects.filter(user=account).exclude(unit=None).first()
    record(
        "account.deactivated",
        actor=actor,
        unit=unit.unit if unit else None,
        target=account,
        request=request,
    )
    return account


def invitation_url(account):
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    path = reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(account):
    """The e-mail with a one-time link to set the password (a password-reset token: it
    stops working once a password is set, and after PASSWORD_RESET_TIMEOUT)."""
    context = {
        "account": account,
        "url": invitation_url(account),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.email])


@transaction.atomic
def reset_second_factor(account, *, actor, request=None):
    """Removes the account's TOTP devices and recovery codes: it enrols again at next sign-in."""
    if not scope.is_national_admin(actor):
        raise PermissionDenied
    account = _locked(account)
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=account).delete()[0]
    record("otp.reset", actor=actor, target=account, data={"removed": removed}, request=request)
    return removed


@transaction.atomic
def unlock(attempt, *, actor, request=None):
    """Lifts the django-axes locks of one failed-attempt row before their cool-off ends: its
    account name's and its client address's (their failure counts start again from zero)."""
    if not scope.is_national_admin(actor):
        raise PermissionDenied
    data = {"username": attempt.username or "", "ip": attempt.ip_address or ""}
    same = Q(username=attempt.username) if attempt.username else Q(pk=attempt.pk)
    if attempt.ip_address:
        same |= Q(ip_address=attempt.ip_address)
    AccessAttempt.objects.filter(same).delete()
    target = get_user_model().objects.filter(username=attempt.username).first()
    record("auth.unlock", actor=actor, target=target, data=data, request=request)
