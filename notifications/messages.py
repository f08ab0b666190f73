"""The e-mail for one delivery: text and HTML from templates, in the recipient's language,
with the headers of automated mail (what it says comes from notifications/content.py)."""

from email.header import Header
from email.message import Message

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .content import content_for, scope_url
from .models import Kind, RecipientPreference, RecipientRole

TEMPLATES = {
    Kind.CAMPAIGN: "notifications/email/campaign",
    Kind.DOSSIER: "notifications/email/dossier",
    Kind.INSPECTION: "notifications/email/inspection",
    Kind.NATIONAL: "notifications/email/national",
}
ESCALATION_TEMPLATE = "notifications/email/escalation"


class ReminderEmail(EmailMultiAlternatives):
    """Django folds a long non-ASCII subject with an empty first line ("Subject: \\n =?utf-8?...");
    fold it knowing the header's name instead. Django's own check still runs first, so a
    CR/LF in the subject is refused (BadHeaderError) as before."""

    def message(self, **kwargs):
        message = super().message(**kwargs)
        del message["Subject"]
        Message.__setitem__(
            message, "Subject", Header(self.subject, "utf-8", header_name="Subject")
        )
        return message


def recipient_language(user):
    try:
        return user.reminder_preference.language  # select_related by the sender
    except RecipientPreference.DoesNotExist:
        return settings.LANGUAGE_CODE


def check_headers(message):
    """Refuse what Django refuses when it builds the MIME message (a CR or LF in a header
    value: BadHeaderError), without building it: the SMTP backend builds it when sending."""
    headers = {"Subject": message.subject, "To": ", ".join(message.to), **message.extra_headers}
    for name, value in headers.items():
        if "\n" in str(value) or "\r" in str(value):
            raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for {name})")


def _domain():
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"


def message_id(delivery):
    """The same Message-ID whenever this delivery is built: mail clients drop duplicates."""
    return f"<reminder-{delivery.pk}@{_domain()}>"


def list_id(delivery):
    """One list per kind of notice (a campaign's by its requirement), so mail clients and
    servers can file or filter each kind."""
    name = delivery.campaign.requirement if delivery.kind == Kind.CAMPAIGN else delivery.kind
    name = name.replace("_", "-")
    return f"<{name}.reminders.{_domain()}>"


def salutation(delivery):
    """The recipient's full name; without one, their role and unit, never their login."""
    name = delivery.recipient.get_full_name().strip()
    if name:
        return name
    if delivery.unit is None or delivery.role == RecipientRole.NATIONAL:
        return _("National administrator")
    values = {"unit": delivery.unit.name}
    if delivery.role == RecipientRole.OFFICER:
        return _("Security officer of %(unit)s") % values
    return _("Manager of %(unit)s") % values


def _content(delivery, language, contents):
    key = (
        delivery.kind,
        delivery.campaign_id,
        delivery.step,
        delivery.role == RecipientRole.ESCALATION,
        delivery.unit_id,
        delivery.planned_for,
        tuple(delivery.items),
        language,
    )
    if key not in contents:
        contents[key] = content_for(delivery)
    return contents[key]


def template_for(delivery):
    if delivery.role == RecipientRole.ESCALATION:
        return ESCALATION_TEMPLATE
    return TEMPLATES[delivery.kind]


def build_email(delivery, contents=None):
    """The message for a delivery, or None when there is nothing to report any more.
    `contents` caches what deliveries about the same thing say, for one batch."""
    language = recipient_language(delivery.recipient)
    with translation.override(language):
        content = _content(delivery, language, {} if contents is None else contents)
        if content is None:
            return None
        context = {
            **content.context,
            "delivery": delivery,
            "salutation": salutation(delivery),
            "unit": delivery.unit,
            "as_of": delivery.planned_for,
            # Officers get the managers' deadline digest as a copy; other notices are theirs.
            "is_copy": delivery.role == RecipientRole.OFFICER and delivery.kind == Kind.CAMPAIGN,
            "unit_url": scope_url(delivery.unit),
            "reply_to": settings.REMINDER_REPLY_TO,
            "LANGUAGE_CODE": language,
        }
        template = template_for(delivery)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = ReminderEmail(
        subject=content.subject,
        body=text,
        to=[delivery.recipient.email],
        reply_to=[settings.REMINDER_REPLY_TO],
        headers={
            "Message-ID": message_id(delivery),
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",
            "List-Id": list_id(delivery),
            "X-Auto-Response-Suppress": "All",  # Exchange: no out-of-office replies to it
        },
    )
    message.attach_alternative(html, "text/html")
    return message
