"""Template helpers of the change history (compliance/history.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from compliance.history import page_history
from registry import scope
from registry.import_admin import can_view_import

register = template.Library()


@register.simple_tag(takes_context=True)
def history_entries(context, page_obj):
    """The readable entries of an admin history page."""
    return page_history(page_obj.object_list, context["request"].user)


@register.simple_tag(takes_context=True)
def import_source(context, batch):
    """The import file a change came from, linked to its record for those who may open it."""
    text = _("Import #%(number)s: %(file)s") % {"number": batch.pk, "file": batch.file_name}
    request = context.get("request")
    if request is None or not scope.visible_people(request.user).filter(pk=batch.user_id).exists():
        return _("Import #%(number)s") % {"number": batch.pk}  # another unit's file: unnamed
    if not can_view_import(request.user, batch):
        return text
    url = reverse("admin:registry_importbatch_change", args=[batch.pk])
    return format_html('<a href="{}">{}</a>', url, text)
