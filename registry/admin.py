"""The admin, where security officers keep their unit's systems.

Permissions come from memberships (registry/scope.py), not from Django's
per-model permissions: an officer edits the systems of their unit subtree,
viewers and managers read them, national administrators see everything. An
object outside the user's scope answers 404 on every URL: the site guards every
object URL through each admin's get_queryset (registry/admin_site.py).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from compliance.selectors import level_as_of
from registry import scope
from registry.admin_site import ScopedAdminMixin
from registry.audit.actions import record_role_change
from registry.import_admin import ImportBatchAdmin, import_export_urls
from registry.levels import display as levels_display
from registry.models import ImportBatch, InformationSystem, Membership, Unit
from registry.names import fold_ascii
from registry.reorganisation.structure import Structure

admin.site.site_header = admin.site.site_title = _("Security level compliance")


class ScopedAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """History is read in scope; a past version is shown, never saved back.

    simple-history's past-version page is a full change form whose POST writes the old
    values back, past the transition rules' view of who moved what: reverting is off."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        # The object is in scope (the site's guard loaded it); the version must be one of its own.
        versions = self.model.history.filter(**{self.model._meta.pk.attname: unquote(object_id)})
        scope.load(versions, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        # Reports depend on these rows: retire or deactivate instead.
        return False

    def get_actions(self, request):
        return {}


def _one_line(text):
    """A long name kept to one line by the stylesheet (admin.css), its whole text in the title."""
    return format_html('<span class="one-line" title="{}">{}</span>', text, text)


def _as_int(value):
    """A filter value from the URL as an int, or None: "abc" filters nothing, never a 500."""
    text = "" if value is None else str(value)
    try:
        return int(text) if text and len(text) < 12 else None
    except ValueError:
        return None


class VisibleUnitFilter(admin.SimpleListFilter):
    title = _("reporting unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        """Today's units: the reporting units for a national administrator, else every unit
        in scope that still exists (a merged unit's systems are its successor's)."""
        structure = Structure.load()
        if scope.is_national_admin(request.user):
            ids = structure.reporting_units()
        else:  # the scope's own paths, already read for the request: no query of its own
            paths = tuple(scope.read_paths(request.user))
            ids = [
                pk
                for pk, unit in structure.units.items()
                if paths and unit.path.startswith(paths) and structure.exists(pk)
            ]
        return [(pk, structure.name(pk)) for pk in ids]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = scope.visible_units(request.user).filter(pk=_as_int(self.value())).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(owner_id__in=sorted(Structure.load().subtree(unit.pk)))


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(str(level), str(level)) for level in range(1, 6)]

    def queryset(self, request, queryset):
        level = _as_int(self.value())
        if level is None:
            return queryset
        return queryset.filter(level_now=level)


class RegistryRecordAdmin(ScopedAdmin):
    """A record officers keep about their systems (the systems themselves, their inspections,
    their re-determinations): read by every registry reader, added by officers, changed where
    `editable_rows` (a scoped queryset) holds it."""

    def editable_rows(self, request):
        raise NotImplementedError

    def has_module_permission(self, request):
        return scope.can_read_registry(request.user)

    def has_view_permission(self, request, obj=None):
        return scope.can_read_registry(request.user)

    def has_add_permission(self, request):
        return scope.can_edit_systems(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope.can_edit_systems(request.user)
        return self.editable_rows(request).filter(pk=obj.pk).exists()


@admin.register(InformationSystem)
class InformationSystemAdmin(RegistryRecordAdmin):
    # Chosen to fit 1366 px beside the filters: long names are cut to one line, in full in a title.
    list_display = (
        "code",
        "short_name",
        "owner_name",
        "level_display",
        "dossier_status",
        "deployment",
        "lifecycle",
        "updated_on",
    )
    list_display_links = ("code", "short_name")
    list_filter = (VisibleUnitFilter, LevelFilter, "dossier_status", "deployment", "lifecycle")
    list_select_related = ("owner",)
    search_fields = ("code",)  # see get_search_results
    show_full_result_count = False
    list_per_page = 50
    # Derived from the inspection ledger (registry/inspections/actions.py), never typed in.
    readonly_fields = ("last_inspection_on", "suggested_level")
    fieldsets = (
        (None, {"fields": ("code", "name", "owner", "operator", "responsible_officer")}),
        (
            _("Type and information"),
            {
                "fields": (
                    "system_type",
                    "handles_private_data",
                    "handles_personal_data",
                    "handles_state_secrets",
                    # The other criteria of the level (registry/levels).
                    "online_service_level",
                    "user_count_band",
                    "conditional_business",
                    "infrastructure_reach",
                    "security_harm",
                    "industrial_works_grade",
                    "national_role",
                )
            },
        ),
        (_("Lifecycle"), {"fields": ("lifecycle", "declared_on", "go_live_on", "retired_on")}),
        (
            _("Level dossier"),
            {
                "fields": (
                    "proposed_level",
                    "suggested_level",
                    "dossier_status",
                    "submitted_on",
                    "appraised_on",
                    "returned_on",
                )
            },
        ),
        (
            _("Approval decision"),
            {
                "fields": (
                    "approved_level",
                    "decision_number",
                    "decision_date",
                    "decision_authority",
                )
            },
        ),
        (
            _("Protection plan"),
            {"fields": ("deployment", "deployed_full_on", "last_inspection_on")},
        ),
    )

    @admin.display(description=_("system name"), ordering="name")
    def short_name(self, obj):
        return _one_line(obj.name)

    @admin.display(description=_("owner unit"), ordering="owner__name")
    def owner_name(self, obj):
        return _one_line(obj.owner.name)

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated_on(self, obj):
        return date_format(timezone.localtime(obj.updated_at), "SHORT_DATE_FORMAT")

    def changelist_view(self, request, extra_context=None):
        # The list needs the width: the app menu is one click away under "Home".
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description=levels_display.SUGGESTION_LABEL)
    def suggested_level(self, obj):
        return levels_display.suggestion_html(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Advice, never a refusal (Decree 85/2016 Arts. 7-11, registry/levels/rules.py).
        warning = levels_display.below_warning(obj)
        if warning:
            messages.warning(request, warning)

    @admin.display(description=_("level"))
    def level_display(self, obj):
        return getattr(obj, "level_now", obj.level) or "—"

    def get_queryset(self, request):
        # The level in force today, a re-determination's once decided (registry/dossiers).
        systems = scope.visible_systems(request.user).select_related("owner")
        return systems.annotate(level_now=level_as_of(timezone.localdate()))

    def get_urls(self):
        # Import (upload, dry run, confirm), template and export: registry/import_admin.py.
        return import_export_urls(self) + super().get_urls()

    def get_search_results(self, request, queryset, search_term):
        # Names are searched folded to ASCII, so "ha noi" finds "Hà Nội"; codes as typed.
        term = search_term.strip()
        if not term:
            return queryset, False
        folded = fold_ascii(term)
        matches = (
            Q(code__icontains=term)
            | Q(name_ascii__contains=folded)
            | Q(owner__name_ascii__contains=folded)
        )
        return queryset.filter(matches), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            # Units that exist today (a merged unit takes no new systems), and the one the
            # system has: a system of a merged unit keeps its owner, whose past it is.
            kept = self._current(request, "owner_id")
            existing = existing_unit_ids()
            kwargs["queryset"] = scope.editable_units(request.user).filter(
                Q(pk__in=existing) | Q(pk=kept)
            )
        if db_field.name == "operator":
            # A system may be run by a unit outside its officer's scope (set nationally, or
            # the province running its department's system): keeping it is no choice to refuse.
            kept = self._current(request, "operator_id")
            kwargs["queryset"] = Unit.objects.filter(
                Q(pk__in=scope.editable_units(request.user)) | Q(pk=kept)
            )
        if db_field.name == "responsible_officer":
            kwargs["queryset"] = scope.officers_in_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _current(self, request, attname):
        """A field of the system this change page is for (already loaded in scope), or None."""
        object_id = request.resolver_match.kwargs.get("object_id")
        if object_id is None:
            return None
        rows = self.get_queryset(request).filter(pk=_as_int(unquote(object_id)))
        return rows.values_list(attname, flat=True).first()

    def editable_rows(self, request):
        return scope.editable_systems(request.user)


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "group", "parent", "established_on")
    list_filter = ("group", "kind")
    list_select_related = ("parent",)
    search_fields = ("code", "name_ascii")
    autocomplete_fields = ("parent",)

    def get_queryset(self, request):
        return scope.visible_units(request.user)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold_ascii(search_term))

    def has_module_permission(self, request):
        return scope.can_read_registry(request.user)

    def has_view_permission(self, request, obj=None):
        return scope.can_read_registry(request.user)

    def has_add_permission(self, request):
        return scope.is_national_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return scope.is_national_admin(request.user)

    def get_readonly_fields(self, request, obj=None):
        # A unit moves on a date: a unit change (registry/reorganisation), never an undated
        # edit that would rewrite every past report.
        return ("parent",) if obj is not None else ()


def existing_unit_ids():
    structure = Structure.load()
    return [pk for pk in structure.units if structure.exists(pk)]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    list_select_related = ("user", "unit")
    autocomplete_fields = ("unit",)
    search_fields = ("user__username", "user__email", "unit__name_ascii")

    def has_module_permission(self, request):
        return scope.is_national_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return scope.is_national_admin(request.user)

    def has_add_permission(self, request):
        return scope.is_national_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return scope.is_national_admin(request.user)

    def save_model(self, request, obj, form, change):
        previous = Membership.objects.filter(pk=obj.pk).select_related("user", "unit").first()
        super().save_model(request, obj, form, change)
        record_role_change(previous, obj, request=request)


admin.site.register(ImportBatch, ImportBatchAdmin)
