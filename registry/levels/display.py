"""The suggestion as the admin's change form shows it, and the warning after a save."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.levels.rules import suggest

SUGGESTION_LABEL = gettext_lazy("level the criteria give")


def suggestion_html(system):
    if system is None or system.pk is None:
        return _("shown once the system is saved")
    suggestion = suggest(system)
    reasons = format_html_join("; ", "{}", ((reason,) for reason in suggestion.reasons))
    text = format_html(
        "<strong>{}</strong> ({}: {})",
        _("Level %(level)s") % {"level": suggestion.level},
        suggestion.article,
        reasons,
    )
    warning = below_warning(system, suggestion)
    if warning:
        text = format_html('{}<br><span class="errornote">⚠ {}</span>', text, warning)
    return text


def below_warning(system, suggestion=None):
    """The warning when the proposed or approved level is below the suggestion, or ""."""
    suggestion = suggestion or suggest(system)
    low = [
        label
        for label, level in (
            (_("proposed level"), system.proposed_level),
            (_("approved level"), system.approved_level),
        )
        if suggestion.exceeds(level)
    ]
    if not low:
        return ""
    return _(
        "The %(which)s is below level %(level)s, the level the criteria give (%(article)s). "
        "Check the level before the dossier goes on; this is advice and nothing was refused."
    ) % {"which": _(" and ").join(low), "level": suggestion.level, "article": suggestion.article}
