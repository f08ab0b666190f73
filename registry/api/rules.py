"""Pure rules of the API: what a token looks like, how long it may live, when it works.

No database here: actions.py and authentication.py call these with what they loaded.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TOKEN_PREFIX = "sl_"  # "security level": recognisable in a leaked file or a secret scanner
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6
MAX_TOKEN_LENGTH = 100  # a longer Authorization value is not one of ours: no hashing of megabytes


def new_token():
    """A new token (shown once) and the hash that is stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw):
    # A 256-bit random secret needs no slow hash: nobody can guess it, only steal the table.
    return hashlib.sha256(raw.encode()).hexdigest()


def shown_prefix(raw):
    return raw[:SHOWN_PREFIX_LENGTH]


def looks_like_token(raw):
    return raw.startswith(TOKEN_PREFIX) and len(raw) <= MAX_TOKEN_LENGTH and raw.isascii()


def validate_expiry(expires_on, today, max_days):
    """A token expires after today and within `max_days`; ValidationError otherwise."""
    if expires_on <= today:
        raise ValidationError(_("Choose a date after today."), code="expiry_past")
    if expires_on > today + datetime.timedelta(days=max_days):
        raise ValidationError(
            _("A token lives at most %(days)s days; choose an earlier date.") % {"days": max_days},
            code="expiry_too_far",
        )


def refusal(token, today, *, user_has_second_factor):
    """Why this token may not be used today (a sentence), or None when it works.

    A token stands for a session that passed the second factor: when the user has no device
    any more (an administrator reset it), their tokens stop working with it."""
    if token is None:
        return _("This API token is not valid.")
    if token.revoked_at is not None:
        return _("This API token has been revoked.")
    if token.expires_on <= today:
        return _("This API token has expired.")
    if not token.user.is_active:
        return _("This account is deactivated.")
    if not user_has_second_factor:
        return _("Two-factor sign-in was reset for this account: create a new API token.")
    return None


def is_new_address(token, address):
    return address is not None and token.last_used_ip != address


def is_use_worth_noting(token, now, address, every_seconds):
    """Whether to write the last use: a new address, or the last note is old enough."""
    if is_new_address(token, address) or token.last_used_at is None:
        return True
    return (now - token.last_used_at).total_seconds() >= every_seconds
