"""The system page and its history show every round; officers start and move rounds in the
admin, in their scope."""

import datetime

import pytest

from registry.audit.models import AuditEvent
from registry.choices import Authority, DossierStatus
from registry.dossiers.models import DossierRound
from registry.models import Role
from tests.dossiers.test_actions import redetermine
from tests.factories import SystemFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def unit():
    return UnitFactory(code="PRD", name="Tỉnh Rà Duyệt")


def test_the_system_page_shows_every_round_with_its_decision(client, unit):
    system = SystemFactory(owner=unit, approved=True, proposed_level=2)
    first_decision = system.decision_number
    redetermine(system, user_with_role(Role.OFFICER, unit), level=3)
    client.force_login(user_with_role(Role.VIEWER, unit))
    page = client.get(f"/systems/{system.pk}/").content.decode()
    rounds = page[page.index('id="dossier-rounds"') :]
    rounds = rounds[: rounds.index("</section>")]
    assert first_decision in rounds and "01/04/2024" in rounds  # round 1, still shown
    assert "15/QĐ-UBND" in rounds and "01/03/2025" in rounds  # round 2's decision
    assert 'id="level-in-force">3<' in rounds
    history = page[page.index("Change history") :]
    assert "Round 2: created" in history and "Decision number" in history


def test_an_officer_starts_a_round_and_records_its_decision_in_the_admin(client, unit):
    system = SystemFactory(owner=unit, approved=True, proposed_level=2)
    officer = user_with_role(Role.OFFICER, unit)
    client.force_login(officer)
    response = client.post(
        "/admin/dossiers/dossierround/add/",
        {
            "system": system.pk,
            "reason": "Mở dịch vụ công mức độ 3",
            "started_on": "2025-01-10",
            "proposed_level": "3",
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    new_round = DossierRound.objects.get(system=system)
    assert (new_round.number, new_round.dossier_status, new_round.started_by) == (
        2,
        DossierStatus.DRAFTING,
        officer,
    )
    url = f"/admin/dossiers/dossierround/{new_round.pk}/change/"
    step = {"reason": new_round.reason, "proposed_level": "3", "_save": "1"}
    # Straight to approved: refused with the first round's message, nothing saved.
    response = client.post(url, {**step, "dossier_status": "approved"})
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()
    for values in (
        {"dossier_status": "submitted", "submitted_on": "2025-01-15"},
        {"dossier_status": "appraised", "submitted_on": "2025-01-15", "appraised_on": "2025-02-01"},
        {
            "dossier_status": "approved",
            "submitted_on": "2025-01-15",
            "appraised_on": "2025-02-01",
            "decision_number": "15/QĐ-UBND",
            "decision_date": "2025-03-01",
            "decision_authority": Authority.SYSTEM_OWNER,
            "approved_level": "3",
        },
    ):
        response = client.post(url, {**step, **values})
        assert response.status_code == 302, response.context["adminform"].form.errors
    assert AuditEvent.objects.filter(action="dossier.round_decided", actor=officer).exists()
    # A decided round is final.
    assert client.post(url, {**step, "dossier_status": "drafting"}).status_code == 403


def test_rounds_are_scoped_like_their_systems(client, unit):
    other = SystemFactory(owner=UnitFactory(), approved=True, proposed_level=2)
    other_round = DossierRound.objects.create(
        system=other, number=2, reason="x", started_on=D(2025, 1, 10), proposed_level=3
    )
    mine = SystemFactory(owner=unit, approved=True, proposed_level=2)
    client.force_login(user_with_role(Role.OFFICER, unit))
    assert client.get(f"/admin/dossiers/dossierround/{other_round.pk}/change/").status_code == 404
    response = client.post(
        "/admin/dossiers/dossierround/add/",
        {"system": other.pk, "reason": "x", "started_on": "2025-01-10", "proposed_level": "3"},
    )
    assert "Select a valid choice" in response.content.decode()
    client.force_login(user_with_role(Role.VIEWER, unit))
    response = client.post(
        "/admin/dossiers/dossierround/add/",
        {"system": mine.pk, "reason": "x", "started_on": "2025-01-10", "proposed_level": "3"},
    )
    assert response.status_code == 403
    assert DossierRound.objects.count() == 1


def test_the_refusal_reads_in_vietnamese_by_default(client, unit):
    system = SystemFactory(owner=unit, approved=True, proposed_level=2)
    DossierRound.objects.create(
        system=system, number=2, reason="x", started_on=D(2025, 1, 10), proposed_level=3
    )
    client.force_login(user_with_role(Role.OFFICER, unit))
    del client.cookies["django_language"]
    response = client.post(
        "/admin/dossiers/dossierround/add/",
        {"system": system.pk, "reason": "y", "started_on": "11/01/2025", "proposed_level": "4"},
    )
    assert response.status_code == 200
    assert "Lần 2 của hệ thống này đang thực hiện" in response.content.decode()
    assert DossierRound.objects.count() == 1


def test_a_round_waits_on_the_same_time_limits_as_a_first_dossier(client, unit):
    system = SystemFactory(owner=unit, approved=True, proposed_level=2)
    DossierRound.objects.create(
        system=system,
        number=2,
        reason="x",
        started_on=D(2025, 1, 10),
        proposed_level=3,
        dossier_status=DossierStatus.SUBMITTED,
        submitted_on=D(2025, 1, 15),
    )
    client.force_login(user_with_role(Role.VIEWER, unit))
    page = client.get(f"/systems/{system.pk}/").content.decode()
    # Level 3: appraisal within 15 days of receipt (DOMAIN.md §4), as for a first dossier.
    assert "Appraisal due by 30/01/2025" in page


def test_the_system_page_offers_officers_the_next_step(client, unit):
    system = SystemFactory(owner=unit, approved=True, proposed_level=2)
    client.force_login(user_with_role(Role.OFFICER, unit))
    page = client.get(f"/systems/{system.pk}/").content.decode()
    assert f"/admin/dossiers/dossierround/add/?system={system.pk}" in page
    assert f"/admin/inspections/inspection/add/?system={system.pk}" in page
    client.force_login(user_with_role(Role.VIEWER, unit))
    page = client.get(f"/systems/{system.pk}/").content.decode()
    assert "/add/?system=" not in page
