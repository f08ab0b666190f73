"""Filters of the systems list (django-filter). A unit filter selects the systems counted
toward that unit on a date through compliance.selectors.unit_systems, as the pages do."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from compliance.selectors import unit_systems
from registry import scope
from registry.models import Deployment, DossierStatus, InformationSystem, Lifecycle

LEVEL_CHOICES = [(level, str(level)) for level in range(1, 6)]


class SystemFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        method="filter_unit",
        max_length=32,
        help_text=_(
            "A unit code: the systems counted toward that unit and its subordinate units on "
            "`as_of` (default today). A unit you may not see answers 404."
        ),
    )
    as_of = django_filters.DateFilter(
        method="filter_nothing", help_text=_("The date of the `unit` filter (YYYY-MM-DD).")
    )
    level = django_filters.TypedChoiceFilter(
        choices=LEVEL_CHOICES,
        coerce=int,
        method="filter_level",
        help_text=_("The level that counts: the approved one, else the proposed one."),
    )
    dossier_status = django_filters.ChoiceFilter(choices=DossierStatus.choices)
    deployment = django_filters.ChoiceFilter(choices=Deployment.choices)
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Systems changed at or after this time (ISO 8601)."),
    )

    class Meta:
        model = InformationSystem
        fields = []

    def filter_unit(self, queryset, name, code):
        user = self.request.user
        unit = scope.get_visible_unit_or_404(user, code=code.strip().upper())
        as_of = self.form.cleaned_data.get("as_of") or timezone.localdate()
        return queryset.filter(pk__in=unit_systems(unit, as_of).values("pk"))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_unit

    @extend_schema_field(OpenApiTypes.INT)
    def filter_level(self, queryset, name, level):
        approved = Q(approved_level=level)
        proposed = Q(approved_level__isnull=True, proposed_level=level)
        return queryset.filter(approved | proposed)
