import datetime

from django.urls import reverse

from registry.models import DossierStatus, InformationSystem, Role
from tests.factories import SystemFactory, user_with_role


def _url(system):
    return reverse("compliance:system", args=[system.pk])


def test_system_page_shows_fields_steps_decision_and_deployment(two_units, role_user, login):
    system = SystemFactory(owner=two_units["a"]["province"], deployed=True, proposed_level=3)
    viewer = role_user(Role.VIEWER, two_units["a"]["province"])
    html = login(viewer).get(_url(system)).content.decode()
    assert system.name in html and system.code in html
    assert system.decision_number in html
    assert "01/04/2024" in html  # decision date, Vietnamese short date
    assert "01/05/2024" in html  # fully deployed on
    assert "Đã thẩm định" in html or "Appraised" in html
    assert "chỉ xem" in html  # read-only for viewers: no edit link
    assert "/admin/registry/informationsystem/" not in html


def test_history_says_who_when_and_what(two_units, role_user, login):
    province = two_units["a"]["province"]
    officer = user_with_role(Role.OFFICER, province, username="can.bo")
    system = SystemFactory(owner=province)
    record = InformationSystem.objects.get(pk=system.pk)
    record._history_user = officer
    record.dossier_status = DossierStatus.SUBMITTED
    record.submitted_on = datetime.date(2024, 3, 1)
    record.operator = two_units["a"]["department"]
    record.save()
    response = login(officer).get(_url(system))
    entries = response.context["history"]
    assert len(entries) == 2
    latest = entries[0]
    assert latest.who == officer.get_username()  # named: an officer of the page's unit
    fields = {change.name: (str(change.old), str(change.new)) for change in latest.changes}
    assert set(fields) == {"dossier_status", "submitted_on", "operator"}
    assert fields["dossier_status"] == (
        str(DossierStatus.DRAFTING.label),
        str(DossierStatus.SUBMITTED.label),
    )
    assert fields["operator"] == ("—", two_units["a"]["department"].name)
    html = response.content.decode()
    assert "can.bo" in html
    # the officer may edit: a link to the registry
    assert reverse("admin:registry_informationsystem_change", args=[system.pk]) in html


def test_another_units_system_is_404(two_units, role_user, login):
    viewer = role_user(Role.VIEWER, two_units["a"]["province"])
    client = login(viewer)
    assert client.get(_url(two_units["a"]["sub_system"])).status_code == 200
    assert client.get(_url(two_units["b"]["system"])).status_code == 404
    assert client.get(_url(two_units["b"]["sub_system"])).status_code == 404
