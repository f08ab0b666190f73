from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.date_input import DayFirstDateInput
from compliance.reports.enclosure import NUMBER_MAX, enclosure_from
from compliance.reports.models import ReportFormat
from registry.reorganisation.structure import Structure
from registry.scope import is_national_admin, visible_units


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        depth = unit.path.count("/") - 2  # "/3/" is a reporting unit, "/3/17/" one below
        return "— " * depth + unit.name


class ReportRequestForm(forms.Form):
    """Which report: the units offered are the ones the user may see; the national summary
    (no unit) only for national administrators."""

    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    as_of = forms.DateField(label=_("As of"), widget=DayFirstDateInput())
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
    enclosure_number = forms.CharField(
        label=_("Attached to report no."),
        required=False,
        max_length=NUMBER_MAX,
        help_text=_("Optional, PDF only: printed under the title, e.g. 123/BC-BTTTT."),
    )
    enclosure_date = forms.DateField(
        label=_("Date of that report"), required=False, widget=DayFirstDateInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()
        unit_field = self.fields["unit"]
        unit_field.queryset = visible_units(user).order_by(
            "group", "reporting_unit__sort_order", "reporting_unit__name", "path"
        )
        if is_national_admin(user):
            unit_field.required = False
            unit_field.empty_label = _("Whole country — Appendix IX national summary")
        else:
            unit_field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        self._check_unit_on_date(cleaned)
        number, date = cleaned.get("enclosure_number"), cleaned.get("enclosure_date")
        if self.errors.get("enclosure_date") or self.errors.get("enclosure_number"):
            return cleaned
        try:
            cleaned["enclosure"] = enclosure_from(number, date)
        except ValidationError as error:
            raise ValidationError(error.message_dict) from error
        if cleaned["enclosure"] and cleaned.get("format") != ReportFormat.PDF:
            self.add_error("enclosure_number", _("Only the PDF carries this line: choose PDF."))
        return cleaned

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("A report cannot be made for a future date."))
        return as_of

    def _check_unit_on_date(self, data):
        unit, as_of = data.get("unit"), data.get("as_of")
        if unit is not None and as_of is not None:
            absence = Structure.load(as_of).absence(unit.pk)
            if absence:  # no figures of its own that day: a report would show false zeros
                self.add_error("unit", absence)
