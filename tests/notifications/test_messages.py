"""What a digest says: text and HTML, in the recipient's language, with the deadline written out."""

import datetime
from email import message_from_bytes
from email.header import Header
from email.message import Message
from email.policy import compat32, default

import pytest
from django.contrib.auth import get_user_model

from notifications.messages import SALUTATION_MARK, Drafts, build_email
from notifications.models import Delivery, Kind, RecipientPreference
from notifications.planner import plan_day

from .conftest import staff_units

pytestmark = pytest.mark.usefixtures("only_approval")


def planned_digest(username, as_of=datetime.date(2024, 9, 23)):
    plan_day(as_of)
    return Delivery.objects.select_related("recipient", "unit", "campaign").get(
        kind=Kind.CAMPAIGN, recipient__username=username
    )


def html_of(message):
    return next(body for body, mime in message.alternatives if mime == "text/html")


def test_vietnamese_by_default_with_deadline_legal_basis_link_and_systems(province):
    message = build_email(planned_digest("manager-p99"))
    text, html = message.body, html_of(message)
    assert message.to == ["manager-p99@example.invalid"]
    assert message.subject.startswith("[Tỉnh Thử] Còn 3 hệ thống chưa đạt")
    for body in (text, html):
        assert "Kính gửi" in body
        assert "30/09/2024" in body
        assert "Chỉ thị 09/CT-TTg ngày 23/02/2024" in body
        assert "Còn 7 ngày" in body
        assert "http://127.0.0.1:8000/units/P99/" in body
    # Highest level first: P99-001 (level 4), P99-003 (level 3), P99-002 (level 1).
    assert text.index("P99-001") < text.index("P99-003") < text.index("P99-002")
    assert "P99-004" not in text  # approved and deployed
    assert '<a href="http://127.0.0.1:8000/units/P99/">' in html
    assert message.extra_headers["Content-Language"] == "vi"


def test_english_for_a_recipient_who_chose_it(province):
    delivery = planned_digest("manager-p99")
    RecipientPreference.objects.create(user=delivery.recipient, language="en")
    message = build_email(delivery)
    assert message.subject.startswith("[Tỉnh Thử] 3 systems outstanding")
    assert "Dear Manager of Tỉnh Thử," in message.body and "7 days left." in message.body
    assert "Legal basis: Chỉ thị 09/CT-TTg" in message.body


def test_officers_copy_and_escalation_say_why_they_receive_it(province):
    copy = build_email(planned_digest("officer-p99"))
    assert "Bản gửi đồng thời cán bộ chuyên trách" in copy.body
    plan_day(datetime.date(2024, 10, 7))
    escalation = Delivery.objects.select_related("recipient", "unit", "campaign").get(
        role="escalation"
    )
    message = build_email(escalation)
    assert message.subject.startswith("Quá hạn: [Tỉnh Thử] 1 đơn vị trực thuộc")
    assert "với tư cách lãnh đạo Tỉnh Thử" in html_of(message)
    assert "Sở TT&amp;TT Tỉnh Thử" in html_of(message)
    assert "Đã quá hạn 7 ngày." in message.body


def test_the_greeting_uses_the_full_name_or_else_the_role_and_unit_never_the_login(province):
    manager = planned_digest("manager-p99")
    assert "Kính gửi Lãnh đạo Tỉnh Thử," in build_email(manager).body
    officer = Delivery.objects.select_related("recipient", "unit").get(
        kind=Kind.CAMPAIGN, recipient__username="officer-p99"
    )
    body = build_email(officer).body
    assert "Kính gửi Cán bộ chuyên trách an toàn thông tin của Tỉnh Thử," in body
    assert "officer-p99," not in body
    manager.recipient.first_name, manager.recipient.last_name = "Văn An", "Nguyễn"
    manager.recipient.save()
    assert "Kính gửi Văn An Nguyễn," in build_email(manager).body


def test_the_message_id_is_fixed_per_delivery(province):
    delivery = planned_digest("manager-p99")
    first, again = build_email(delivery), build_email(delivery)
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert str(delivery.pk) in first.extra_headers["Message-ID"]


def test_a_batch_renders_each_notice_once_and_says_to_each_what_it_alone_would(province):
    staff_units([province["province"]], prefix="second-")  # two of each role on the province
    names = {"manager-p99": ('<Văn> & "An"', "O'Nguyễn"), "officer-p99-it": ("Thị Bình", "")}
    for username, (first, last) in names.items():
        get_user_model().objects.filter(username=username).update(first_name=first, last_name=last)
    plan_day(datetime.date(2024, 9, 23))
    related = ("recipient__reminder_preference", "unit", "campaign")
    deliveries = list(Delivery.objects.select_related(*related).order_by("pk"))
    assert {d.kind for d in deliveries} == {Kind.CAMPAIGN, Kind.DOSSIER, Kind.INSPECTION}
    drafts = Drafts()
    for delivery in deliveries:
        together, alone = build_email(delivery, drafts), build_email(delivery)
        assert together.subject == alone.subject and together.to == alone.to
        assert together.body == alone.body and html_of(together) == html_of(alone)
        assert SALUTATION_MARK not in together.body + html_of(together)
    assert len(drafts.bodies) < len(deliveries)  # the province's people share their notices
    manager = next(d for d in deliveries if d.recipient.username == "manager-p99")
    message = build_email(manager, drafts)
    assert 'Kính gửi <Văn> & "An" O\'Nguyễn,' in message.body  # text: as written
    assert "Kính gửi &lt;Văn&gt; &amp; &quot;An&quot; O&#x27;Nguyễn," in html_of(message)


def test_headers_are_written_as_the_email_package_writes_them(province):
    province["province"].name = "Tỉnh Thử có một cái tên thật dài, đủ để tiêu đề phải gấp dòng"
    province["province"].save()
    message = build_email(planned_digest("manager-p99"))
    written = message.message()
    ours = written.as_bytes(linesep="\r\n")
    # The e-mail package on its own: every header through email.header.Header.
    del written["Subject"]
    Message.__setitem__(written, "Subject", Header(message.subject, "utf-8", header_name="Subject"))
    written.policy = compat32
    assert ours == written.as_bytes(linesep="\r\n")
    parsed = message_from_bytes(ours, policy=default)
    assert parsed["Subject"] == message.subject and b"\r\n =?utf-8?" in ours
    assert (
        parsed["Auto-Submitted"] == "auto-generated"
        and parsed["To"] == "manager-p99@example.invalid"
    )
