"""Unit changes in the admin, for national administrators only.

Recording takes two steps: the form is checked and a preview shown (systems that move,
roles carried over, figures before and after); saving again with the preview confirmed
records the change through `changes.record_change`. A recorded change is not edited: one
not yet in force is cancelled (the action), one in force is history.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry import scope

from . import changes
from .models import UnitChange
from .preview import preview


class UnitChangeForm(forms.ModelForm):
    confirmed = forms.BooleanField(
        label=_("I have checked the preview"),
        required=False,
        help_text=_("Save once to see the preview, then tick this box and save again."),
    )

    class Meta:
        model = UnitChange
        fields = (
            "kind",
            "unit",
            "successor",
            "other_successors",
            "new_parent",
            "new_name",
            "effective_on",
            "legal_basis",
            "note",
        )

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("unit"):
            return data
        self.spec = changes.ChangeSpec(
            kind=data["kind"],
            unit=data["unit"],
            effective_on=data["effective_on"],
            legal_basis=data["legal_basis"],
            successor=data.get("successor"),
            other_successors=list(data.get("other_successors") or []),
            new_parent=data.get("new_parent"),
            new_name=data.get("new_name", ""),
            note=data.get("note", ""),
        )
        changes.validate(self.spec)
        self.preview = preview(self.spec)
        if not data.get("confirmed"):
            raise ValidationError(_("Check the preview below, then confirm and save again."))
        return data


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    form = UnitChangeForm
    list_display = ("unit", "kind", "successor", "effective_on", "legal_basis", "status", "systems")
    list_filter = ("kind", "effective_on")
    list_select_related = ("unit", "successor")
    search_fields = ("unit__name_ascii", "unit__code", "legal_basis")
    autocomplete_fields = ("unit", "successor", "other_successors", "new_parent")
    readonly_fields = ("recorded_by", "recorded_at", "applied_at", "cancelled_at", "cancelled_by")
    actions = ["cancel_changes"]
    change_form_template = "reorganisation/change_form.html"

    def get_queryset(self, request):
        if not scope.is_national_admin(request.user):
            return UnitChange.objects.none()
        return UnitChange.objects.select_related("unit", "successor", "new_parent")

    def _national(self, request):
        return scope.is_national_admin(request.user)

    has_module_permission = _national

    def has_view_permission(self, request, obj=None):
        return self._national(request)

    def has_add_permission(self, request):
        return self._national(request)

    def has_change_permission(self, request, obj=None):
        return False  # recorded changes are history; cancel one not yet in force

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status(self, obj):
        if obj.is_cancelled:
            return _("cancelled")
        if obj.effective_on > timezone.localdate():
            return _("planned")
        return _("in force")

    @admin.display(description=_("systems"))
    def systems(self, obj):
        if obj.kind != "split" or obj.is_cancelled:
            return ""
        url = reverse("admin:reorganisation_unitchange_reassign", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Reassign its systems"))

    def get_urls(self):
        reassign = path(
            # Not `object_id`: the site's guard would refuse the POST (a recorded change is not
            # changed); the view loads the change through the same scoped loader itself.
            "<str:change_id>/reassign/",
            self.admin_site.admin_view(self.reassign_view),
            name="reorganisation_unitchange_reassign",
        )
        return [reassign, *super().get_urls()]

    def reassign_view(self, request, change_id):
        """A split's systems, each to be left with the main successor or given to one of the
        units that took over functions. National administrators only: 404 for anyone else."""
        change = scope.load(self.get_queryset(request), change_id)
        if change.kind != "split":
            raise BadRequest("Not a split")
        systems = list(changes.reassignable_systems(change))
        if request.method == "POST":
            try:
                choices = _posted_choices(request.POST, systems)
                moved = changes.reassign_systems(
                    change, choices, actor=request.user, request=request
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(n)s systems reassigned.") % {"n": moved})
                return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Reassign the systems of %(unit)s") % {"unit": change.unit},
            "change": change,
            "systems": systems,
            "receiving": changes.receiving_units(change),
        }
        return TemplateResponse(request, "reorganisation/reassign.html", context)

    def save_model(self, request, obj, form, change):
        recorded = changes.record_change(form.spec, actor=request.user, request=request)
        obj.pk = recorded.pk

    def save_related(self, request, form, formsets, change):
        pass  # record_change saved the other receiving units with the change

    @admin.action(description=_("Cancel the selected changes (not yet in force)"))
    def cancel_changes(self, request, queryset):
        cancelled = 0
        for change in queryset:
            if changes.may_cancel(change):
                changes.cancel_change(change, actor=request.user, request=request)
                cancelled += 1
        refused = queryset.count() - cancelled
        if cancelled:
            self.message_user(
                request,
                ngettext("%d change cancelled.", "%d changes cancelled.", cancelled) % cancelled,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%d change is already in force or cancelled: record the reverse change.",
                    "%d changes are already in force or cancelled: record the reverse changes.",
                    refused,
                )
                % refused,
                messages.WARNING,
            )


def _posted_choices(data, systems):
    """{system id: unit id} from the form's `system-<id>` selects; 400 for a value that is no
    id at all (a unit not on offer is refused by the rules, with a message)."""
    choices = {}
    for system in systems:
        value = data.get(f"system-{system.pk}")
        if value is None:
            continue
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            raise BadRequest("Malformed unit id")
        choices[system.pk] = int(value)
    return choices
