"""The API's writes: tokens issued, revoked and used; systems created and changed.

Each is atomic, takes loaded objects and a keyword-only actor, validates with rules.py or
registry/transitions.py, and records an audit event in the same transaction.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.api import rules
from registry.api.models import ApiToken
from registry.audit.actions import record
from registry.audit.models import AuditEvent
from registry.audit.rules import client_address
from registry.models import InformationSystem

NEW_ADDRESS = "api_token.new_address"
# The system fields the API writes (the import's columns, by their model names).
SYSTEM_FIELDS = (
    "code",
    "name",
    "owner",
    "operator",
    "system_type",
    "handles_private_data",
    "handles_personal_data",
    "handles_state_secrets",
    "lifecycle",
    "declared_on",
    "go_live_on",
    "retired_on",
    "proposed_level",
    "approved_level",
    "dossier_status",
    "submitted_on",
    "appraised_on",
    "returned_on",
    "decision_number",
    "decision_date",
    "decision_authority",
    "deployment",
    "deployed_full_on",
    "last_inspection_on",
)


@transaction.atomic
def issue_token(*, actor, label, expires_on, request=None):
    """A new token for `actor`: (ApiToken, the token itself, which is shown once)."""
    rules.validate_expiry(expires_on, timezone.localdate(), settings.API_TOKEN_MAX_DAYS)
    raw, key_hash = rules.new_token()
    token = ApiToken.objects.create(
        user=actor,
        label=label,
        prefix=rules.shown_prefix(raw),
        key_hash=key_hash,
        expires_on=expires_on,
    )
    record(
        "api_token.created",
        actor=actor,
        target=token,
        data={"label": label, "expires_on": expires_on.isoformat(), "prefix": token.prefix},
        request=request,
    )
    return token, raw


@transaction.atomic
def revoke_token(token, *, actor, request=None):
    """Revoke a token of `actor` (loaded through the user's own tokens); once only."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record(
            "api_token.revoked",
            actor=actor,
            target=token,
            data={"label": token.label, "prefix": token.prefix},
            request=request,
        )
    return bool(revoked)


def note_use(token, request):
    """Write when and from where a token was last used; audit its first use from an address.

    Runs in autocommit (the API's views are not atomic), so that the note survives a request
    that fails: a stolen token probing for ids is what the trail is for."""
    now = timezone.now()
    address = client_address(request.META, settings.TRUSTED_PROXY_COUNT)
    if not rules.is_use_worth_noting(token, now, address, settings.API_TOKEN_USE_NOTE_SECONDS):
        return
    with transaction.atomic():
        if rules.is_new_address(token, address) and not _seen_from(token, address):
            record(
                NEW_ADDRESS,
                actor=token.user,
                target=token,
                data={"label": token.label, "prefix": token.prefix},
                request=request,
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address)
    token.last_used_at, token.last_used_ip = now, address


def _seen_from(token, address):
    return AuditEvent.objects.filter(
        action=NEW_ADDRESS, target_type="api.apitoken", target_id=str(token.pk), ip=address
    ).exists()


@transaction.atomic
def save_system(system, changes, *, actor, token=None):
    """Create (`system.pk` None) or change a system with `changes` ({field: value}).

    The stored row is locked and re-read, the record checked by registry/transitions.py and
    the model's field rules, saved with history naming the actor and the API token, and
    recorded in the audit trail. ValidationError keyed by field, and nothing saved, if not."""
    previous = None
    if system.pk is not None:
        previous = InformationSystem.objects.select_for_update().get(pk=system.pk)
    for field_name, value in changes.items():
        setattr(system, field_name, value)
    if previous is None and system.declared_on is None:
        system.declared_on = timezone.localdate()  # as the import does: declared now
    _validate(system)
    system._history_user = actor
    system._history_api_token = token
    if token is not None:
        system._change_reason = f"API: {token.label}"[:100]
    try:
        with transaction.atomic():
            system.save()
    except IntegrityError:
        # Another request took the code between the check and the write.
        raise ValidationError({"code": [_("This system code is already used.")]}) from None
    changed = sorted(changes) if previous is None else _changed(previous, system, changes)
    record(
        "system.changed" if previous else "system.created",
        actor=actor,
        unit=system.owner,
        target=system,
        data={"fields": changed, "via": "api", "token": token.prefix if token else None},
    )
    return system


def _validate(system):
    errors = {}
    try:
        # Texts cleaned, then registry/transitions.py against the stored row (locked above).
        system.clean()
    except ValidationError as error:
        errors = error.message_dict
    try:
        system.clean_fields(exclude={"owner", "operator", "responsible_officer", *errors})
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        system.validate_unique(exclude=list(errors))  # a code another system has
    except ValidationError as error:
        errors.update(error.message_dict)
    errors.pop("name_ascii", None)  # kept by save() from the name
    if errors:
        raise ValidationError(errors)


def _changed(previous, system, changes):
    def attname(field_name):
        return system._meta.get_field(field_name).attname

    return sorted(
        f for f in changes if getattr(previous, attname(f)) != getattr(system, attname(f))
    )
