"""Every rule of registry/transitions.py, through the model (as the admin and import call it)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from registry.models import Authority, Deployment, DossierStatus, InformationSystem, Lifecycle
from tests.factories import SystemFactory


def tomorrow():
    # Read at each use, not at import: CI crossing midnight (Vietnam time) made "tomorrow" today.
    return timezone.localdate() + datetime.timedelta(days=1)


def errors_of(system):
    with pytest.raises(ValidationError) as caught:
        system.full_clean()
    return caught.value.message_dict


def approve(system, **overrides):
    fields = {
        "dossier_status": DossierStatus.APPROVED,
        "appraised_on": datetime.date(2024, 3, 20),
        "decision_number": "12/QĐ-UBND",
        "decision_date": datetime.date(2024, 4, 1),
        "approved_level": system.proposed_level,
        "decision_authority": Authority.SPECIALISED_UNIT,
    }
    fields.update(overrides)
    for name, value in fields.items():
        setattr(system, name, value)
    return system


@pytest.fixture
def appraised(db):
    return SystemFactory(
        submitted=True,
        dossier_status=DossierStatus.APPRAISED,
        appraised_on=datetime.date(2024, 3, 20),
    )


@pytest.mark.parametrize("level", [0, 6])
def test_levels_outside_1_to_5_are_refused(db, level):
    system = SystemFactory.build(owner=SystemFactory().owner, proposed_level=level)
    assert "proposed_level" in errors_of(system)


def test_a_valid_approval_is_accepted_and_saved(appraised):
    approve(appraised).full_clean()
    appraised.save()
    assert InformationSystem.objects.get(pk=appraised.pk).dossier_status == DossierStatus.APPROVED


@pytest.mark.parametrize(
    "missing", ["decision_number", "decision_date", "approved_level", "decision_authority"]
)
def test_approval_needs_every_part_of_the_decision(appraised, missing):
    approve(appraised, **{missing: None if missing != "decision_number" else ""})
    if missing == "decision_authority":
        appraised.decision_authority = ""
    assert missing in errors_of(appraised)


def test_decision_cannot_predate_submission(appraised):
    approve(appraised, decision_date=datetime.date(2024, 2, 1))
    assert "decision_date" in errors_of(appraised)


def test_decision_cannot_be_in_the_future(appraised):
    approve(appraised, decision_date=tomorrow())
    assert "decision_date" in errors_of(appraised)


@pytest.mark.parametrize(
    "level,authority,ok",
    [
        (1, Authority.SPECIALISED_UNIT, True),
        (2, Authority.SYSTEM_OWNER, False),
        (3, Authority.SYSTEM_OWNER, True),
        (3, Authority.SPECIALISED_UNIT, False),
        (4, Authority.SYSTEM_OWNER, True),
        (5, Authority.NATIONAL_AUTHORITY, False),
    ],
)
def test_the_approving_authority_follows_the_level(appraised, level, authority, ok):
    appraised.proposed_level = level
    approve(appraised, approved_level=level, decision_authority=authority)
    if ok:
        appraised.full_clean()
    else:
        assert "decision_authority" in errors_of(appraised)


def test_full_deployment_needs_an_approved_dossier(appraised):
    appraised.deployment = Deployment.FULL
    appraised.deployed_full_on = datetime.date(2024, 5, 1)
    assert "deployment" in errors_of(appraised)


def test_full_deployment_cannot_predate_the_approval(appraised):
    approve(appraised, deployment=Deployment.FULL, deployed_full_on=datetime.date(2024, 3, 1))
    assert "deployed_full_on" in errors_of(appraised)


def test_decision_fields_only_on_an_approved_dossier(appraised):
    appraised.decision_number = "1/QĐ"
    assert "decision_number" in errors_of(appraised)


def test_submission_needs_its_date_and_a_proposed_level(db):
    system = SystemFactory(proposed_level=None)
    system.dossier_status = DossierStatus.SUBMITTED
    errors = errors_of(system)
    assert {"submitted_on", "proposed_level"} <= errors.keys()


@pytest.mark.parametrize(
    "old,new,ok",
    [
        (DossierStatus.DRAFTING, DossierStatus.SUBMITTED, True),
        (DossierStatus.DRAFTING, DossierStatus.APPROVED, False),
        (DossierStatus.SUBMITTED, DossierStatus.APPROVED, False),
        (DossierStatus.SUBMITTED, DossierStatus.RETURNED, True),
        (DossierStatus.APPROVED, DossierStatus.DRAFTING, False),
    ],
)
def test_dossier_workflow_moves(db, old, new, ok):
    system = SystemFactory(
        approved=old == DossierStatus.APPROVED, submitted=old != DossierStatus.DRAFTING
    )
    InformationSystem.objects.filter(pk=system.pk).update(dossier_status=old)
    system.refresh_from_db()
    system.dossier_status = new
    system.submitted_on = system.submitted_on or datetime.date(2024, 3, 1)
    system.returned_on = datetime.date(2024, 3, 5) if new == DossierStatus.RETURNED else None
    if new == DossierStatus.APPROVED:
        approve(system)
    if new != DossierStatus.APPROVED and old == DossierStatus.APPROVED:
        for field in ("decision_number", "decision_authority"):
            setattr(system, field, "")
        system.decision_date = system.approved_level = None
        system.deployment, system.deployed_full_on = Deployment.NOT_STARTED, None
    if ok:
        system.full_clean()
    else:
        assert "dossier_status" in errors_of(system)


def test_a_retired_system_cannot_come_back(db):
    system = SystemFactory(lifecycle=Lifecycle.RETIRED, retired_on=datetime.date(2024, 1, 1))
    system.lifecycle, system.retired_on = Lifecycle.OPERATING, None
    assert "lifecycle" in errors_of(system)


def test_a_rejected_change_leaves_the_record_as_it_was(appraised):
    approve(appraised, decision_date=tomorrow())
    with pytest.raises(ValidationError):
        appraised.full_clean()
    stored = InformationSystem.objects.get(pk=appraised.pk)
    assert stored.dossier_status == DossierStatus.APPRAISED
    assert stored.decision_number == ""


def test_messages_are_in_vietnamese_by_default_and_english_on_request(appraised):
    approve(appraised, decision_number="")
    with translation.override("vi"):
        vietnamese = errors_of(appraised)["decision_number"][0]
    with translation.override("en"):
        english = errors_of(appraised)["decision_number"][0]
    assert english == "An approval needs the decision number."
    assert vietnamese == "Phê duyệt cần có số quyết định."
