"""A deadline exists from the day its legal basis was issued (issue 14, part 1).

Directive 09/CT-TTg was issued on 23/02/2024: asked as of 31/03/2023, no page, PDF,
forecast or e-mail may count down to it; from 23/02/2024 on, they all do.
"""

import datetime

import pytest
from django.utils import translation

from compliance.deadlines import active_deadlines
from compliance.reports.generation import build
from notifications.models import DeadlineCampaign, Delivery, Kind
from notifications.planner import plan_day
from registry.models import Role
from tests.factories import SystemFactory, UnitFactory, user_with_role
from tests.reports.conftest import normalize, pdf_text

BEFORE = datetime.date(2023, 3, 31)
ISSUED = datetime.date(2024, 2, 23)
DIRECTIVE = "09/CT-TTg"
CAMPAIGN = "Phê duyệt hồ sơ đề xuất cấp độ"


@pytest.fixture
def unit(db):
    unit = UnitFactory(code="P77", name="Tỉnh Thử")
    SystemFactory(owner=unit, declared_on=datetime.date(2022, 1, 1))
    return unit


def test_the_seeded_directive_09_campaigns_are_dated_23_02_2024(db):
    seeded = DeadlineCampaign.objects.filter(legal_basis__contains=DIRECTIVE)
    assert seeded.count() == 2
    assert set(seeded.values_list("issued_on", flat=True)) == {ISSUED}


def test_deadlines_exist_from_their_issue_date_only(db):
    assert active_deadlines(BEFORE) == []
    assert active_deadlines(ISSUED - datetime.timedelta(days=1)) == []
    assert [d.due_date for d in active_deadlines(ISSUED)] == [
        datetime.date(2024, 9, 30),
        datetime.date(2024, 12, 31),
    ]


@pytest.mark.parametrize(("as_of", "shown"), [(BEFORE, False), (ISSUED, True)])
def test_national_page_shows_directive_09_only_once_issued(client, unit, as_of, shown):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    body = client.get(f"/national/?as_of={as_of.isoformat()}").content.decode()
    assert (DIRECTIVE in body) is shown
    assert (CAMPAIGN in body) is shown


@pytest.mark.parametrize(("as_of", "shown"), [(BEFORE, False), (ISSUED, True)])
def test_unit_page_shows_directive_09_only_once_issued(client, unit, as_of, shown):
    client.force_login(user_with_role(Role.VIEWER, unit))
    response = client.get(f"/units/{unit.code}/?as_of={as_of.isoformat()}")
    assert response.status_code == 200
    body = response.content.decode()
    assert (DIRECTIVE in body) is shown
    assert (CAMPAIGN in body) is shown


@pytest.mark.parametrize(("as_of", "shown"), [(BEFORE, False), (ISSUED, True)])
@pytest.mark.parametrize("national", [True, False])
def test_pdf_shows_directive_09_only_once_issued(unit, as_of, shown, national):
    with translation.override("vi"):
        text = pdf_text(build(None if national else unit, as_of, "pdf"))
    assert (normalize(CAMPAIGN) in text) is shown


def test_no_reminder_is_planned_before_the_campaign_is_issued(unit):
    DeadlineCampaign.objects.update(is_active=False)
    user_with_role(Role.MANAGER, unit)
    late = DeadlineCampaign.objects.create(
        name="Phê duyệt theo văn bản mới",
        legal_basis="Văn bản ban hành 20/09/2024",
        issued_on=datetime.date(2024, 9, 20),
        requirement="approval",
        due_date=datetime.date(2024, 9, 30),
        reminder_days="14,7",
    )

    def planned(day):
        plan = plan_day(day, dry_run=True)
        return [d for d in plan.new if d.kind == Kind.CAMPAIGN and d.campaign_id == late.pk]

    assert planned(datetime.date(2024, 9, 17)) == []  # step -14 is dated before the issue
    assert [d.step for d in planned(datetime.date(2024, 9, 23))] == [-7]
    assert not Delivery.objects.exists()


def test_a_campaign_issued_after_its_due_date_is_refused(client, db):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    response = client.post(
        "/admin/notifications/deadlinecampaign/add/",
        {
            "name": "Sai ngày",
            "legal_basis": "Nghị định mới",
            "issued_on": "01/02/2025",
            "requirement": "approval",
            "due_date": "01/01/2025",
            "levels": ["1"],
            "reminder_days": "7",
            "overdue_interval_days": "7",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "sau hạn hoàn thành" in response.content.decode()  # refused in Vietnamese, nothing saved
    assert not DeadlineCampaign.objects.filter(name="Sai ngày").exists()
