"""Digests, not floods: dossier time limits once a day per recipient, the weekly national digest
of overdue ministries and provinces, long lists cut with a link; and the headers of automated
mail, read back from a real SMTP server with the `email` package."""

import datetime
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from notifications.models import DeadlineCampaign, Delivery, Kind, Status
from notifications.planner import plan_day
from notifications.tasks import plan_reminders
from registry.models import Role
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role

from .conftest import delivery_of, mails_of, staff_units

D = datetime.date


def run(as_of):
    plan_reminders.delay(as_of.isoformat()).get()


@pytest.fixture
def ministry(db):
    DeadlineCampaign.objects.update(is_active=False)
    unit = UnitFactory(code="B77", name="Bộ Thử")
    staff_units([unit])
    return unit


def submitted(unit, on, code):
    return SystemFactory(owner=unit, proposed_level=3, submitted=True, submitted_on=on, code=code)


def test_an_officer_gets_one_dossier_digest_a_day_and_only_when_something_is_new(
    ministry, mailoutbox
):
    # Level 3: 15 days to appraise. Due 19/09 and 20/09: both "near" from 17/09 and 18/09.
    submitted(ministry, D(2024, 9, 4), "B77-001")
    submitted(ministry, D(2024, 9, 5), "B77-002")
    submitted(ministry, D(2024, 9, 12), "B77-003")  # due 27/09
    run(D(2024, 9, 17))
    run(D(2024, 9, 18))
    first = mails_of(mailoutbox, Kind.DOSSIER)
    assert len(first) == 2  # 17/09: B77-001 near; 18/09: B77-002 near (with B77-001 again)
    assert "B77-001" in first[0].body and "B77-002" not in first[0].body
    assert "B77-001" in first[1].body and "B77-002" in first[1].body
    assert first[1].subject == "[Bộ Thử] 2 hồ sơ sắp hết hoặc đã quá thời hạn xử lý"
    run(D(2024, 9, 19))  # nothing reached a new step: no e-mail
    assert len(mails_of(mailoutbox, Kind.DOSSIER)) == 2
    run(D(2024, 9, 20))  # B77-001 exceeded: one digest listing all three's current state
    run(D(2024, 9, 20))  # a second tick the same day adds nothing
    digests = Delivery.objects.filter(kind=Kind.DOSSIER).order_by("planned_for")
    assert [d.outstanding for d in digests] == [1, 2, 2]
    assert len(mails_of(mailoutbox, Kind.DOSSIER)) == 3
    per_day = {(d.recipient_id, d.planned_for) for d in digests}
    assert len(per_day) == digests.count()  # never two a day for one officer
    latest = mails_of(mailoutbox, Kind.DOSSIER)[-1].body
    assert latest.index("B77-001") < latest.index("B77-002")  # exceeded first
    assert "đã hết ngày 19/09/2024: quá hạn 1 ngày" in latest


def test_a_long_list_says_how_many_more_and_links_to_the_page_with_them_all(
    ministry, mailoutbox, settings
):
    settings.REMINDER_LIST_LIMIT = 2
    for day in (2, 3, 4, 5):
        submitted(ministry, D(2024, 8, day), f"B77-10{day}")  # all exceeded by 17/09
    run(D(2024, 9, 17))
    [message] = mails_of(mailoutbox, Kind.DOSSIER)
    assert "và 2 hệ thống khác: xem toàn bộ http://127.0.0.1:8000/units/B77/" in message.body
    html = next(body for body, mime in message.alternatives if mime == "text/html")
    assert 'và 2 hệ thống khác: <a href="http://127.0.0.1:8000/units/B77/">' in html


def test_overdue_ministries_and_provinces_reach_the_national_administrators_once_a_week(
    db, only_approval, mailoutbox, settings
):
    settings.REMINDER_NATIONAL_DIGEST_WEEKDAY = 2  # Wednesday
    first = user_with_role(Role.NATIONAL_ADMIN, email="a@example.invalid")
    second = user_with_role(Role.NATIONAL_ADMIN, email="b@example.invalid")
    behind = [UnitFactory(code=f"P{n}", name=f"Tỉnh {n}") for n in (91, 92, 93)]
    department = SubUnitFactory(parent=behind[0], code="P91-IT")
    staff_units([*behind, department])
    for unit in (*behind, department):
        SystemFactory(owner=unit, proposed_level=2)
    SystemFactory(owner=UnitFactory(code="P94"), approved=True)  # on time: not listed
    run(D(2024, 10, 7))  # Monday, step +7: before the digest's weekday
    assert not Delivery.objects.filter(kind=Kind.NATIONAL).exists()
    run(D(2024, 10, 9))  # Wednesday
    run(D(2024, 10, 10))  # the same week: nothing more
    national = Delivery.objects.filter(kind=Kind.NATIONAL)
    assert sorted(national.values_list("recipient_id", flat=True)) == [first.pk, second.pk]
    assert {d.outstanding for d in national} == {4}  # P91's subtree counts its department
    message = next(m for m in mailoutbox if delivery_of(m).kind == Kind.NATIONAL)
    assert message.subject == "3 bộ, ngành, địa phương quá hạn (tuần từ 07/10/2024)"
    assert "Kính gửi Quản trị quốc gia," in message.body  # the role, as the product names it
    assert "Tỉnh 91: còn 2 hệ thống chưa đạt" in message.body
    assert "Tỉnh 92" in message.body and "P94" not in message.body
    run(D(2024, 10, 14))  # next week, still overdue: the next digest (planned Wednesday)
    run(D(2024, 10, 16))
    assert Delivery.objects.filter(kind=Kind.NATIONAL, subject="2024-W42").count() == 2


def test_headers_of_automated_mail_read_back_from_the_smtp_server(
    db, only_approval, smtp_server, settings
):
    settings.REMINDER_REPLY_TO = "hotro@ais.gov.vn"
    settings.DEFAULT_FROM_EMAIL = "nhac-han@ais.gov.vn"
    unit = UnitFactory(code="P95", name="Ủy ban nhân dân tỉnh Thử Nghiệm Rất Dài Tên")
    staff_units([unit])
    SystemFactory(owner=unit, proposed_level=3)
    plan_day(D(2024, 9, 23))
    Delivery.objects.exclude(kind=Kind.CAMPAIGN).update(status=Status.SKIPPED)
    plan_reminders.delay("2024-09-23").get()
    assert len(smtp_server.raw) == 2  # the manager's digest and the officers' copy
    raw = smtp_server.raw[0]
    message = message_from_bytes(raw, policy=default_policy)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Id"] == "<approval.reminders.ais.gov.vn>"
    assert message["Reply-To"] == "hotro@ais.gov.vn"
    assert message["Subject"].startswith("[Ủy ban nhân dân tỉnh Thử Nghiệm Rất Dài Tên] Còn 1")
    assert message["Message-ID"] == f"<reminder-{delivery_of(message).pk}@ais.gov.vn>"
    subject_line = next(line for line in raw.splitlines() if line.startswith(b"Subject:"))
    assert subject_line.strip() != b"Subject:"  # folded with text on its first line
    assert message["Subject"] == (
        f"[{unit.name}] Còn 1 hệ thống chưa đạt: {only_approval.name}, hạn 30/09/2024"
    )
