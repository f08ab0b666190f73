"""The e-mail for one delivery: text and HTML from templates, in the recipient's language,
with the headers of automated mail (what it says comes from notifications/content.py)."""

from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.policy import Compat32
from functools import cached_property

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
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


class FoldedHeader:
    """A header value encoded (RFC 2047) and folded once, for every message that carries it.

    Django folds a long non-ASCII subject with an empty first line ("Subject: \\n =?utf-8?...");
    this folds it knowing the header's name, as email.header.Header does, and the e-mail
    package writes it as it is (a Header-like object: it only asks for `encode`)."""

    def __init__(self, value, name):
        if "\n" in value or "\r" in value:  # what Django refuses in a header
            raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for {name})")
        self.folded = Header(value, "utf-8", header_name=name).encode(linesep="\n")

    def encode(self, linesep="\n", **_ignored):
        return self.folded.replace("\n", linesep)

    def __str__(self):
        return self.folded


class _Compat32WritingShortHeaders(Compat32):
    """The e-mail package's default policy, which runs every header through
    email.header.Header when it writes a message; a short ASCII line is written as it is,
    which is what that gives for it (about twenty headers an e-mail, a third of its cost)."""

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + 2 + len(value) <= MAX_HEADER_LINE
            and "\n" not in value
            and "\r" not in value
            and value == value.strip()
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


MAX_HEADER_LINE = 78  # what Compat32 folds at
WRITING_SHORT_HEADERS = _Compat32WritingShortHeaders()


class ReminderEmail(EmailMultiAlternatives):
    """An e-mail whose subject is folded once per notice (FoldedHeader), not per message."""

    def __init__(self, *args, folded_subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folded_subject = folded_subject

    def message(self, **kwargs):
        folded = self.folded_subject or FoldedHeader(self.subject, "Subject")
        subject, self.subject = self.subject, ""  # Django would encode it once more
        try:
            message = super().message(**kwargs)
        finally:
            self.subject = subject
        del message["Subject"]
        Message.__setitem__(message, "Subject", folded)
        message.policy = WRITING_SHORT_HEADERS  # the generator gives it to every part
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


class Drafts:
    """What the e-mails of one batch say, worked out once per distinct notice.

    A unit's managers and security officers are told the same thing, so its figures are
    computed and its text and HTML rendered once (`bodies`, per kind, campaign, step, unit,
    date, notices and language), with GREETING_MARK where the greeting goes. Greetings are
    rendered once per unit, language and whether the e-mail is the officers' copy
    (`greetings`), with SALUTATION_MARK for the name; each recipient's e-mail then only puts
    their greeting and name in place.
    """

    def __init__(self):
        self.bodies = {}
        self.greetings = {}


# Stand for the greeting and the name in what is rendered once: a NUL never occurs in
# database text or in a template, so they cannot be mistaken for anything else.
GREETING_MARK = mark_safe("\x00greeting\x00")
SALUTATION_MARK = "\x00salutation\x00"


@dataclass
class Bodies:
    subject: str
    text: str
    html: str

    @cached_property
    def folded_subject(self):
        return FoldedHeader(self.subject, "Subject")


def _content_key(delivery, language):
    return (
        delivery.kind,
        delivery.campaign_id,
        delivery.step,
        delivery.role == RecipientRole.ESCALATION,
        delivery.unit_id,
        delivery.planned_for,
        tuple(delivery.items),
        language,
    )


def is_copy(delivery):
    """Officers get the managers' deadline digest as a copy; other notices are theirs."""
    return delivery.role == RecipientRole.OFFICER and delivery.kind == Kind.CAMPAIGN


def template_for(delivery):
    if delivery.role == RecipientRole.ESCALATION:
        return ESCALATION_TEMPLATE
    return TEMPLATES[delivery.kind]


def _bodies(delivery, language, drafts):
    """The subject and rendered bodies of the delivery's notice (None: nothing to report),
    with GREETING_MARK for the greeting; the active language must be `language`."""
    key = _content_key(delivery, language)
    if key in drafts.bodies:
        return drafts.bodies[key]
    content = content_for(delivery)
    bodies = None
    if content is not None:
        # Only what the key holds: the same context for every delivery that shares it.
        context = {
            **content.context,
            "greeting": GREETING_MARK,
            "unit": delivery.unit,
            "as_of": delivery.planned_for,
            "unit_url": scope_url(delivery.unit),
            "reply_to": settings.REMINDER_REPLY_TO,
            "LANGUAGE_CODE": language,
        }
        template = template_for(delivery)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        bodies = Bodies(content.subject, text, html)
    drafts.bodies[key] = bodies
    return bodies


def _greeting(delivery, language, drafts):
    """(text, HTML) of the greeting, with SALUTATION_MARK for the name."""
    key = (delivery.unit_id, is_copy(delivery), language)
    if key not in drafts.greetings:
        context = {"salutation": SALUTATION_MARK, "is_copy": key[1], "unit": delivery.unit}
        drafts.greetings[key] = tuple(
            render_to_string(f"notifications/email/_greeting.{extension}", context)
            for extension in ("txt", "html")
        )
    return drafts.greetings[key]


def build_email(delivery, drafts=None):
    """The message for a delivery, or None when there is nothing to report any more.
    `drafts` (a Drafts) shares what deliveries about the same thing say within one batch."""
    language = recipient_language(delivery.recipient)
    drafts = Drafts() if drafts is None else drafts
    with translation.override(language):
        bodies = _bodies(delivery, language, drafts)
        if bodies is None:
            return None
        text_greeting, html_greeting = _greeting(delivery, language, drafts)
        name = salutation(delivery)
    # What the templates do with the name: as it is in the text (autoescape off), escaped
    # in HTML.
    text = bodies.text.replace(GREETING_MARK, text_greeting.replace(SALUTATION_MARK, name))
    html_greeting = html_greeting.replace(SALUTATION_MARK, conditional_escape(name))
    html = bodies.html.replace(GREETING_MARK, html_greeting)
    message = ReminderEmail(
        subject=bodies.subject,
        folded_subject=bodies.folded_subject,
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
