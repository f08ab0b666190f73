"""Deadlines read through the shared helper, and where a system stood on a past date."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from compliance.deadlines import active_deadlines
from compliance.reports import content
from compliance.reports.generation import build
from compliance.selectors import deployment_as_of, dossier_status_as_of
from registry.models import Deployment, DossierStatus, InformationSystem
from tests.factories import SystemFactory, UnitFactory
from tests.reports.conftest import normalize, pdf_text


def test_national_pdf_shows_the_active_deadlines_with_days_left(db):
    unit = UnitFactory()
    SystemFactory(owner=unit)
    as_of = datetime.date(2024, 6, 30)
    deadlines = active_deadlines(as_of)
    with translation.override("en"):
        text = pdf_text(build(None, as_of, "pdf"))
        states = [line.state for line in content.deadline_lines(as_of, [])]
    if not deadlines:
        assert "No active deadlines." in text
    for deadline, state in zip(deadlines, states, strict=True):
        assert normalize(deadline.name) in text
        days = (deadline.due_date - as_of).days
        assert state == f"{days} days left"
        assert state in text


def test_national_pdf_queries_with_real_deadlines_stay_constant(db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            build(None, datetime.date(2024, 6, 30), "pdf")
        return len(captured)

    SystemFactory()
    small = queries()
    for _ in range(10):
        SystemFactory(owner=UnitFactory(), deployed=True)
    assert queries() == small <= 4


def _system(**fields):
    defaults = {"dossier_status": DossierStatus.DRAFTING, "deployment": Deployment.NOT_STARTED}
    return InformationSystem(**{**defaults, **fields})


def test_dossier_status_as_of():
    approved = _system(
        dossier_status=DossierStatus.APPROVED,
        submitted_on=datetime.date(2024, 3, 1),
        appraised_on=datetime.date(2024, 3, 20),
        decision_date=datetime.date(2024, 4, 1),
    )
    assert dossier_status_as_of(approved, datetime.date(2024, 2, 1)) == DossierStatus.DRAFTING
    assert dossier_status_as_of(approved, datetime.date(2024, 3, 1)) == DossierStatus.SUBMITTED
    assert dossier_status_as_of(approved, datetime.date(2024, 3, 31)) == DossierStatus.APPRAISED
    assert dossier_status_as_of(approved, datetime.date(2024, 4, 1)) == DossierStatus.APPROVED
    resubmitted = _system(
        dossier_status=DossierStatus.SUBMITTED,
        submitted_on=datetime.date(2024, 5, 1),
        returned_on=datetime.date(2024, 4, 1),
    )
    assert dossier_status_as_of(resubmitted, datetime.date(2024, 4, 15)) == DossierStatus.RETURNED
    assert dossier_status_as_of(resubmitted, datetime.date(2024, 5, 2)) == DossierStatus.SUBMITTED
    # Back to drafting after a return: no date says when, so today's status stands.
    redrafted = _system(
        dossier_status=DossierStatus.DRAFTING,
        submitted_on=datetime.date(2024, 3, 1),
        returned_on=datetime.date(2024, 4, 1),
    )
    assert dossier_status_as_of(redrafted, datetime.date(2024, 6, 30)) == DossierStatus.DRAFTING


def test_deployment_as_of():
    full = _system(deployment=Deployment.FULL, deployed_full_on=datetime.date(2024, 5, 1))
    assert deployment_as_of(full, datetime.date(2024, 5, 1)) == Deployment.FULL
    assert deployment_as_of(full, datetime.date(2024, 4, 30)) == Deployment.PARTIAL
    assert deployment_as_of(_system(), datetime.date(2024, 4, 30)) == Deployment.NOT_STARTED
