"""Account pages: the list, creation, deactivation and invitations of the accounts a user
manages; the lockouts (national administrators); the invitation link; the second factor.

Every view that takes an id loads it through registry/scope.py first; writes are
registry/accounts/actions.py.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import scope
from registry.accounts import actions, second_factor, selectors
from registry.accounts.forms import AccountForm, RoleForm, TokenForm


def _managers_only(request):
    if not scope.can_manage_accounts(request.user):
        raise PermissionDenied


def _national_only(request):
    if not scope.is_national_admin(request.user):
        raise Http404


@login_required
def account_list(request):
    _managers_only(request)
    accounts = scope.visible_accounts(request.user)
    manageable = set(scope.manageable_users(request.user).values_list("pk", flat=True))
    context = {
        "rows": selectors.account_rows(accounts),
        "manageable": manageable,
        "is_national": scope.is_national_admin(request.user),
    }
    return render(request, "accounts/account_list.html", context)


@login_required
def account_create(request):
    _managers_only(request)
    form = AccountForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = actions.create_account(actor=request.user, request=request, **data)
        messages.success(
            request,
            _("Account %(name)s created; the invitation is sent to %(email)s.")
            % {"name": account.username, "email": account.email},
        )
        return redirect("accounts:detail", pk=account.pk)
    return render(request, "accounts/account_form.html", {"form": form})


@login_required
def account_detail(request, pk):
    account = scope.get_account_for_user(request.user, pk)
    rows = selectors.account_rows(get_user_model().objects.filter(pk=account.pk))
    context = {
        "account": rows[0][0],
        "enrolled": rows[0][1],
        "locked": selectors.is_locked(account.username),
        "may_change": scope.manageable_users(request.user).filter(pk=account.pk).exists()
        and account.pk != request.user.pk,
        "is_national": scope.is_national_admin(request.user),
        "role_form": RoleForm(manager=request.user),
    }
    return render(request, "accounts/account_detail.html", context)


@login_required
@require_POST
def account_deactivate(request, pk):
    account = scope.get_account_for_user(request.user, pk, write=True)
    actions.deactivate_account(account, actor=request.user, request=request)
    messages.success(request, _("Account %(name)s deactivated.") % {"name": account.username})
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def role_grant(request, pk):
    account = scope.get_account_for_user(request.user, pk, write=True)
    form = RoleForm(request.POST, manager=request.user)
    if form.is_valid():
        actions.grant_role(account, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Role granted."))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def role_revoke(request, pk, membership_pk):
    account = scope.get_account_for_user(request.user, pk, write=True)
    membership = scope.load(account.memberships.select_related("unit"), membership_pk)
    actions.revoke_role(membership, actor=request.user, request=request)
    messages.success(request, _("Role revoked."))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def role_confirm(request, pk, membership_pk):
    account = scope.get_account_for_user(request.user, pk, write=True)
    rows = account.memberships.filter(pending=True).select_related("unit", "carried_over_from")
    membership = scope.load(rows, membership_pk)
    actions.confirm_carried_role(membership, actor=request.user, request=request)
    messages.success(request, _("Role confirmed."))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def account_invite(request, pk):
    account = scope.get_account_for_user(request.user, pk, write=True)
    if not account.is_active or account.has_usable_password():
        messages.error(request, _("Only an active account without a password is invited."))
    else:
        actions.send_invitation(account)
        messages.success(
            request, _("The invitation is sent again to %(email)s.") % {"email": account.email}
        )
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def account_reset_second_factor(request, pk):
    account = scope.get_account_for_user(request.user, pk)
    if not scope.is_national_admin(request.user) or account.pk == request.user.pk:
        raise PermissionDenied
    actions.reset_second_factor(account, actor=request.user, request=request)
    messages.success(
        request, _("Two-factor sign-in of %(name)s reset.") % {"name": account.username}
    )
    return redirect("accounts:detail", pk=account.pk)


@login_required
def lockout_list(request):
    _national_only(request)
    context = {"attempts": selectors.failed_attempts(), "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/lockout_list.html", context)


@login_required
@require_POST
def lockout_unlock(request, pk):
    _national_only(request)
    attempt = scope.load(AccessAttempt.objects.all(), pk)
    actions.unlock(attempt, actor=request.user, request=request)
    messages.success(request, _("Unlocked."))
    return redirect("accounts:lockouts")


class InvitationView(auth_views.PasswordResetConfirmView):
    """The link of the invitation e-mail: sets the first password (once: the token is a
    password-reset token, which setting a password spends)."""

    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set. Log in with it."))
        return super().form_valid(form)


# --- Second factor -------------------------------------------------------------------------


def _next(request, default="home"):
    """Where to go after the second factor: a path of this site, or the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse(default)


@login_required
def verify(request):
    """The second step of signing in: a code of the authenticator app or a recovery code."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next(request))
    if not user_has_device(user):
        return redirect(f"{reverse('accounts:setup')}?{request.GET.urlencode()}")
    request.session[second_factor.ENROLLED_SESSION_KEY] = True
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("This code is not valid. Try the current one."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


def qr_svg(text):
    """The QR code of `text` as an inline SVG, drawn here (no third party sees the secret)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=16)
    return image.to_string(encoding="unicode")


@login_required
def setup(request):
    """Enrolment of the first TOTP device; on success, the recovery codes, shown once."""
    user = request.user
    if user_has_device(user):
        if user.is_verified():
            return render(request, "accounts/setup_done.html", {})
        return redirect(f"{reverse('accounts:verify')}?{request.GET.urlencode()}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = _confirm(device)
            otp_login(request, device)
            request.session[second_factor.ENROLLED_SESSION_KEY] = True
            context = {"codes": codes, "next": _next(request)}
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("token", _("This code is not valid. Try the current one."))
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
        "next": _next(request),
        "required": second_factor.must_use_second_factor(user),
    }
    return render(request, "accounts/setup.html", context)


def _confirm(device):
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery = StaticDevice.objects.create(user=device.user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for __ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes
