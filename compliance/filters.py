"""Filters of the compliance pages (django-filter).

The national table's rows are computed figures, not database rows (a rate
"below 50% on 30/09/2024" is no column), so its FilterSet filters a list
of rows in Python through filter methods; the outstanding-systems FilterSet
filters the selector's queryset in SQL.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.date_input import DayFirstDateInput
from compliance.selectors import LEVELS
from registry.models import Deployment, DossierStatus, ReportingGroup, UnitKind
from registry.names import fold_ascii

REPORTING_KINDS = [
    (kind.value, kind.label)
    for kind in (
        UnitKind.MINISTRY,
        UnitKind.MINISTRY_LEVEL_AGENCY,
        UnitKind.GOVERNMENT_AGENCY,
        UnitKind.PROVINCE,
    )
]
BELOW_CHOICES = [
    ("approval", _("below 50% approval")),
    ("deployment", _("below 50% deployment")),
    ("none", _("no systems declared")),
]
ALL = pgettext_lazy("an empty filter choice", "All")
EARLIEST_AS_OF = datetime.date(2015, 7, 1)  # Law 86/2015 entered into force


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=DayFirstDateInput(),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )

    def clean_as_of(self):
        value = self.cleaned_data["as_of"]
        if value and not EARLIEST_AS_OF <= value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date between 01/07/2015 and today."))
        return value


def as_of_from(request):
    """(the as-of date, the bound form): today when absent or invalid."""
    form = AsOfForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["as_of"]:
        return form.cleaned_data["as_of"], form
    if not form.is_bound:
        form = AsOfForm(initial={"as_of": timezone.localdate()})
    return timezone.localdate(), form


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter whose empty choice reads "All" rather than "---------"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)


class RowList(list):
    """A list that FilterSet can treat as its queryset (rows are no model instances)."""

    model = None

    def all(self):
        return RowList(self)


class NationalFilter(django_filters.FilterSet):
    group = ChoiceFilter(label=_("Group"), choices=ReportingGroup.choices, method="filter_group")
    kind = ChoiceFilter(label=_("Kind"), choices=REPORTING_KINDS, method="filter_kind")
    below = ChoiceFilter(label=_("Show"), choices=BELOW_CHOICES, method="filter_below")
    at_risk = django_filters.BooleanFilter(
        label=_("Missed a deadline or forecast to miss one"),
        widget=forms.CheckboxInput,
        method="filter_at_risk",
    )

    def __init__(self, data=None, rows=(), **kwargs):
        super().__init__(data, queryset=RowList(rows), **kwargs)

    def filter_queryset(self, queryset):
        # FilterSet's own version insists on QuerySets; the filter methods take RowLists.
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_group(self, rows, name, value):
        return RowList(row for row in rows if row.unit.group == value)

    def filter_kind(self, rows, name, value):
        return RowList(row for row in rows if row.unit.kind == value)

    def filter_below(self, rows, name, value):
        keep = {
            "approval": lambda row: row.figures.below_50_approval,
            "deployment": lambda row: row.figures.below_50_deployment,
            "none": lambda row: not row.figures.has_systems,
        }[value]
        return RowList(row for row in rows if keep(row))

    def filter_at_risk(self, rows, name, value):
        if not value:
            return rows
        return RowList(row for row in rows if row.at_risk)


class OutstandingFilter(django_filters.FilterSet):
    """Filters for outstanding_systems(); `units` are the operator choices (a unit and its
    direct subordinates: choosing one covers its whole subtree)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    level = ChoiceFilter(
        label=_("Level"), choices=[(n, n) for n in LEVELS], field_name="level_then"
    )
    dossier_status = ChoiceFilter(label=_("Dossier status"), choices=DossierStatus.choices)
    deployment = ChoiceFilter(label=_("Deployment"), choices=Deployment.choices)
    operator = ChoiceFilter(label=_("Operator"), method="filter_operator")

    def __init__(self, data=None, queryset=None, units=(), **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self._paths = {unit.code: unit.path for unit in units}
        self.filters["operator"].extra["choices"] = [(unit.code, unit.name) for unit in units]

    def filter_search(self, queryset, name, value):
        folded = fold_ascii(value)
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(name_ascii__icontains=folded)
        )

    def filter_operator(self, queryset, name, value):
        return queryset.filter(operator__path__startswith=self._paths[value])
