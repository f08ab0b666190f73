"""Officers record inspections and organisation assessments here, in their scope.

Lists and object URLs are scoped by get_queryset (the admin site loads every object id
through it); a record is changed, never deleted, and saving goes through actions.py, which
keeps the system's last inspection date derived from the ledger and audits the write.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry import scope
from registry.admin import RegistryRecordAdmin
from registry.inspections import actions, rules, selectors
from registry.inspections.models import Inspection, OrganisationAssessment
from registry.names import fold_ascii

# Shown read-only on every record: its file (through the scoped view) and who recorded it.
RECORD = ("report_link", "recorded_by", "recorded_at")


class LedgerEntryForm(forms.ModelForm):
    """Kinds and results only an import writes are not offered; the rules check the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        imported = self.instance.pk and self.instance.kind in rules.IMPORT_ONLY_KINDS
        if not imported:
            self._drop_choices("kind", rules.IMPORT_ONLY_KINDS)
            self._drop_choices("result", rules.IMPORT_ONLY_RESULTS)
        if "report" in self.fields:
            # The stored file is offered only through the scoped download link.
            self.fields["report"].widget = forms.FileInput()

    def _drop_choices(self, name, values):
        if name in self.fields:
            field = self.fields[name]
            field.choices = [(k, v) for k, v in field.choices if k not in values]

    def clean(self):
        cleaned = super().clean()
        if getattr(self.request, "refused_upload", None):
            self.add_error("report", gettext("The file is larger than the upload limit."))
        return cleaned

    def _post_clean(self):
        # The instance holds the form's values only from here on (ModelForm._post_clean).
        super()._post_clean()
        if self.errors:
            return
        try:
            self.validate(self.instance)
        except forms.ValidationError as error:
            self.add_error(None, error)

    def validate(self, entry):
        rules.validate_entry(entry, by_import=entry.kind in rules.IMPORT_ONLY_KINDS)


class InspectionForm(LedgerEntryForm):
    def validate(self, entry):
        system = entry.system
        rules.validate_entry(
            entry,
            subject_since=system.declared_on,
            subject_until=system.retired_on,
            by_import=entry.kind in rules.IMPORT_ONLY_KINDS,
        )


class LedgerAdmin(RegistryRecordAdmin):
    form = LedgerEntryForm
    subject = None  # "system" or "unit"
    download_view = None
    list_filter = ("kind", "result")
    date_hierarchy = None
    show_full_result_count = False
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        # Names are searched folded to ASCII, as the systems' list does ("ha noi" finds "Hà Nội").
        return super().get_search_results(request, queryset, fold_ascii(search_term))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def get_readonly_fields(self, request, obj=None):
        # A record stays about the system or unit it was made for.
        return (self.subject, *RECORD) if obj is not None else RECORD

    @admin.display(description=_("report file"))
    def report_link(self, obj):
        if obj is None or obj.pk is None or not obj.report:
            return "—"
        url = reverse(self.download_view, args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download the report"))


@admin.register(Inspection)
class InspectionAdmin(LedgerAdmin):
    form = InspectionForm
    subject = "system"
    download_view = "inspections:report"
    list_display = ("system", "inspected_on", "kind", "result", "findings", "report_link")
    list_select_related = ("system",)
    search_fields = ("system__code", "system__name_ascii")
    autocomplete_fields = ("system",)
    fields = ("system", "inspected_on", "kind", "result", "findings", "report", "notes", *RECORD)

    def get_queryset(self, request):
        return selectors.visible_inspections(request.user).select_related("system", "recorded_by")

    def editable_rows(self, request):
        return selectors.editable_inspections(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "system":
            kwargs["queryset"] = scope.editable_systems(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        actions.record_inspection(obj, actor=request.user, request=request)


@admin.register(OrganisationAssessment)
class OrganisationAssessmentAdmin(LedgerAdmin):
    subject = "unit"
    download_view = "inspections:assessment_report"
    list_display = ("unit", "inspected_on", "kind", "result", "findings", "report_link")
    list_select_related = ("unit",)
    search_fields = ("unit__code", "unit__name_ascii")
    autocomplete_fields = ("unit",)
    fields = ("unit", "inspected_on", "kind", "result", "findings", "report", "notes", *RECORD)

    def get_queryset(self, request):
        return selectors.visible_assessments(request.user).select_related("unit", "recorded_by")

    def editable_rows(self, request):
        return selectors.editable_assessments(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = scope.editable_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        actions.record_assessment(obj, actor=request.user, request=request)
