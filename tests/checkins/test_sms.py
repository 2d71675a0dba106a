"""The MessageBird client against a local stand-in server: sending, refusals, and signed
delivery reports (a report with a wrong, missing or replayed-elsewhere signature changes nothing)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from checkins import sms
from checkins.models import Message
from tests.checkins.standin import StandIn


def test_the_client_posts_to_messagebird_and_returns_its_id(standin):
    provider_id = sms.backend().send(to="06-12345678", body="Hoi Sam", reference="checkin:1:0:sms")
    assert standin.received == [
        {
            "id": provider_id,
            "originator": "Kwint",
            "recipients": ["31612345678"],
            "body": "Hoi Sam",
            "reference": "checkin:1:0:sms",
            "reportUrl": "http://127.0.0.1:8000" + reverse("checkins:public_sms_report"),
        }
    ]


def test_a_refusal_or_an_unreachable_provider_raises_sms_error(standin, settings):
    standin.fail_next = 1
    with pytest.raises(sms.SmsError, match="HTTP 500"):
        sms.backend().send(to="0612345678", body="x", reference="r")
    settings.KWINT_SMS_MESSAGEBIRD_ACCESS_KEY = "wrong"
    with pytest.raises(sms.SmsError, match="HTTP 401"):
        sms.backend().send(to="0612345678", body="x", reference="r")
    settings.KWINT_SMS_MESSAGEBIRD_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(sms.SmsError, match="unreachable"):
        sms.backend().send(to="0612345678", body="x", reference="r")


@pytest.mark.parametrize(
    "phone,expected",
    [("06-12345678", "31612345678"), ("+31 6 1234 5678", "31612345678"), ("0031612345678", "31612345678")],
)
def test_dutch_numbers_are_sent_in_international_form(phone, expected):
    assert sms.msisdn(phone) == expected


def test_a_number_that_is_no_number_is_refused():
    with pytest.raises(sms.SmsError):
        sms.msisdn("bel me")


def _message(cast, standin):
    from tests.checkins.helpers import checkin_student, link_with_token

    student = checkin_student(cast)
    link, _token = link_with_token(student)
    sent = {"id": "mb-123", "reference": "checkin:9:0:sms", "recipients": ["31612345678"]}
    message = Message.objects.create(
        key=sent["reference"],
        student=student,
        link=link,
        kind=Message.Kind.FIRST,
        channel=Message.Channel.SMS,
        recipient=student.phone,
        on_date="2026-12-07",
        status=Message.Status.SENT,
        provider_reference="mb-123",
    )
    return message, sent


@pytest.mark.django_db
@pytest.mark.parametrize("status,expected", [("delivered", "delivered"), ("delivery_failed", "failed")])
def test_a_signed_delivery_report_updates_the_message(client, cast, standin, status, expected):
    message, sent = _message(cast, standin)
    report_url = "http://127.0.0.1:8000" + reverse("checkins:public_sms_report")
    url, headers = StandIn.signed_report(report_url, sent, status=status)
    response = client.get(url.replace("http://127.0.0.1:8000", ""), **headers)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == expected


@pytest.mark.django_db
def test_an_unsigned_or_wrongly_signed_report_changes_nothing(client, cast, standin):
    message, sent = _message(cast, standin)
    report_url = "http://127.0.0.1:8000" + reverse("checkins:public_sms_report")
    url, headers = StandIn.signed_report(report_url, sent, key="not-the-signing-key")
    path = url.replace("http://127.0.0.1:8000", "")
    assert client.get(path, **headers).status_code == 403
    assert client.get(path).status_code == 403
    # A valid signature for another URL (the query changed after signing) does not hold either.
    _url, good = StandIn.signed_report(report_url, sent, status="delivered")
    assert client.get(path.replace("delivered", "delivery_failed"), **good).status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


@pytest.mark.django_db
def test_the_console_backend_accepts_no_reports(client):
    assert client.get(reverse("checkins:public_sms_report") + "?id=1&status=delivered").status_code == 403
