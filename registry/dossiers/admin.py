"""Officers start a re-determination round for an approved system and move it along here.

Scoped like the systems (registry/scope.py through get_queryset); a round is never deleted,
and a decided round is final (read only). Saving goes through actions.py."""

from django import forms
from django.contrib import admin

from registry import scope
from registry.admin import RegistryRecordAdmin
from registry.choices import DossierStatus
from registry.dossiers import actions, rules, selectors
from registry.dossiers.models import DossierRound

START_FIELDS = ("system", "reason", "started_on", "proposed_level")
STEP_FIELDS = tuple(field for field in rules.ROUND_FIELDS if field not in START_FIELDS)


class RoundForm(forms.ModelForm):
    """The rules run on the instance carrying the form's values (after ModelForm's
    _post_clean), so every error shows beside its field and nothing is saved."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        round_ = self.instance
        try:
            system = round_.system
            if round_.pk is None:
                rules.validate_start(system, selectors.open_round(system))
                since = selectors.in_force_since(system)
                rules.validate_round(round_, system, since)
            else:
                previous = DossierRound.objects.get(pk=round_.pk)
                others = [r for r in selectors.rounds_of(system) if r.pk != round_.pk]
                since = selectors.in_force_since(system, others)
                rules.validate_round(round_, system, since, previous)
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)


@admin.register(DossierRound)
class DossierRoundAdmin(RegistryRecordAdmin):
    form = RoundForm
    list_display = (
        "system",
        "number",
        "proposed_level",
        "dossier_status",
        "decision_date",
        "approved_level",
    )
    list_filter = ("dossier_status",)
    list_select_related = ("system",)
    search_fields = ("system__code", "system__name_ascii")
    autocomplete_fields = ("system",)
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        if obj is None:
            return START_FIELDS
        return (*START_FIELDS, "number", *STEP_FIELDS, "started_by")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("system", "number", "started_by", "started_on")

    def get_queryset(self, request):
        return selectors.visible_rounds(request.user).select_related("system", "started_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "system":
            kwargs["queryset"] = scope.editable_systems(request.user).filter(
                dossier_status=DossierStatus.APPROVED
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def editable_rows(self, request):
        # A decided round is final, as a first approval is (registry/transitions.py). Asked of
        # the stored row: after a refused POST, the admin's `obj` carries the form's values.
        rounds = selectors.editable_rounds(request.user)
        return rounds.exclude(dossier_status=DossierStatus.APPROVED)

    def save_model(self, request, obj, form, change):
        if change:
            actions.change_round(obj, actor=request.user, request=request)
        else:
            actions.start_round(obj, actor=request.user, request=request)
