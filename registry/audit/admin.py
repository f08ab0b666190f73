"""The audit trail in the admin: read-only, filtered by user, unit, action and date; CSV export.

No add, change or delete for anyone (superusers included); the rows a user sees come from
`selectors.visible_audit_events`, which the site's object guard uses too."""

import csv

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from registry.admin_site import ReadOnlyAdminMixin
from registry.audit import rules, selectors
from registry.audit.actions import record
from registry.audit.models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    title = pgettext_lazy("audit", "action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        present = model_admin.get_queryset(request).order_by().values_list("action", flat=True)
        names = set(present.distinct()) | set(rules.ACTIONS)
        return [(name, f"{rules.ACTIONS.get(name, name)} ({name})") for name in sorted(names)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


class _Echo:
    def write(self, value):
        return value


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "unit", "target_type", "target_id", "ip")
    list_filter = (
        ActionFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
        ("at", admin.DateFieldListFilter),
    )
    date_hierarchy = "at"
    search_fields = ("=actor_name", "=target_id", "=ip")
    list_select_related = ("unit",)
    fields = list_display[:1] + ("actor", "actor_name", "action", "unit") + list_display[4:]
    fields += ("data",)
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.visible_audit_events(request.user)

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_csv),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_csv(self, request):
        """The events the change list shows (same filters), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            events = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            # As the change list does with a filter it does not know: back to it, flagged.
            return redirect(reverse("admin:audit_auditevent_changelist") + "?e=1")
        record("export.downloaded", request=request, data={"kind": "audit"})
        writer = csv.writer(_Echo())
        lines = (writer.writerow(row) for row in selectors.csv_rows(events))
        response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
        name = f"audit-{timezone.localtime():%Y%m%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_actions(self, request):
        return {}

    may_read = staticmethod(selectors.can_read_audit)


def _with_bom(lines):
    # The BOM lets Excel open the file as UTF-8, as the system export does.
    yield "\ufeff"
    yield from lines
