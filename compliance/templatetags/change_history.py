"""Template helpers of the change history (compliance/history.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from compliance.history import page_history
from registry.import_admin import can_view_import

register = template.Library()


@register.simple_tag(takes_context=True)
def history_entries(context, page_obj):
    """The readable entries of an admin history page."""
    return page_history(page_obj.object_list, context["request"].user)


@register.simple_tag(takes_context=True)
def import_source(context, entry):
    """The import file a change came from, linked to its record for those who may open it."""
    batch = entry.batch
    if not entry.batch_named:
        return _("Import #%(number)s") % {"number": batch.pk}  # another unit's file: unnamed
    text = _("Import #%(number)s: %(file)s") % {"number": batch.pk, "file": batch.file_name}
    request = context.get("request")
    if request is None or not can_view_import(request.user, batch):
        return text
    url = reverse("admin:registry_importbatch_change", args=[batch.pk])
    return format_html('<a href="{}">{}</a>', url, text)
