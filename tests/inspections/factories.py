"""Ledger records as an officer would make them; the system's last inspection date follows."""

import datetime

import factory

from registry.inspections.actions import derive_last_inspection
from registry.inspections.models import (
    Inspection,
    InspectionKind,
    InspectionResult,
    OrganisationAssessment,
)
from tests.factories import SystemFactory, UnitFactory


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    system = factory.SubFactory(SystemFactory, approved=True, proposed_level=3)
    inspected_on = datetime.date(2024, 6, 1)
    kind = InspectionKind.SELF_ASSESSMENT
    result = InspectionResult.PASSED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        inspection = super()._create(model_class, *args, **kwargs)
        derive_last_inspection(inspection.system)
        return inspection


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationAssessment

    unit = factory.SubFactory(UnitFactory)
    inspected_on = datetime.date(2024, 6, 1)
    kind = InspectionKind.INDEPENDENT
    result = InspectionResult.PASSED
