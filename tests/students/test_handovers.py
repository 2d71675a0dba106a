"""The warme overdracht: services and views, per role, with the consent check."""

import contextlib

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from accounts.models import Role
from consent.models import Purpose, Status
from students.handovers import HandoverBlocked, handover_accept, handover_offer, handover_save
from students.models import Handover, TimelineEvent
from tests.factories import MembershipFactory, StudentFactory, give_consent

pytestmark = pytest.mark.django_db

CONTENT = {
    "own_words_wants": "Ik wil monteur worden, bij een echte garage.",
    "own_words_needs": "Iemand die meegaat naar het eerste gesprek.",
    "what_works": "Appen werkt beter dan bellen.",
    "school_contacts": "Mentor: mevr. De Boer",
    "support_needs": ["work", "money"],
    "risks": "Schulden",
    "preferred_channel": "whatsapp",
}


def _offered(cast, student, **kw):
    give_consent(student, Purpose.SHARING)
    return handover_offer(student=student, actor=cast.zorg.user, organisation=cast.rmc, data=CONTENT, **kw)


# ------------------------------------------------------------------ services


def test_offer_to_rmc_needs_sharing_consent(cast, student):
    handover_save(student=student, actor=cast.zorg.user, data=CONTENT)
    with pytest.raises(HandoverBlocked, match="toestemming"):
        handover_offer(student=student, actor=cast.zorg.user, organisation=cast.rmc)
    give_consent(student, Purpose.SHARING, Status.REFUSED)
    with pytest.raises(HandoverBlocked):
        handover_offer(student=student, actor=cast.zorg.user, organisation=cast.gemeente)
    assert student.handovers.get().status == Handover.Status.DRAFT


def test_offer_to_the_own_school_needs_no_consent(cast, student):
    handover = handover_offer(
        student=student, actor=cast.zorg.user, organisation=cast.school, coach=cast.school_coach.user, data=CONTENT
    )
    assert handover.status == Handover.Status.OFFERED and handover.to_coach == cast.school_coach.user


def test_accept_assigns_the_coach_and_mails_the_sender(cast, student, django_capture_on_commit_callbacks):
    handover = _offered(cast, student)
    with django_capture_on_commit_callbacks(execute=True):
        handover_accept(handover=handover, actor=cast.coordinator.user, coach=cast.coach.user)
    student.refresh_from_db()
    assert student.guiding_organisation == cast.rmc and student.coach == cast.coach.user
    assert student.timeline.filter(kind=TimelineEvent.Kind.ASSIGNED).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.zorg.user.email] and "geaccepteerd" in message.subject.lower()
    assert message.alternatives and str(student.code) in message.body
    with pytest.raises(HandoverBlocked, match="al afgehandeld"):
        handover_accept(handover=handover, actor=cast.coordinator.user, coach=cast.coach.user)


def test_a_new_draft_starts_from_a_declined_handover(cast, student):
    handover = _offered(cast, student)
    Handover.objects.filter(pk=handover.pk).update(status=Handover.Status.DECLINED)
    again = handover_save(student=student, actor=cast.zorg.user, data={"risks": "Wonen"})
    assert again.pk != handover.pk and again.own_words_wants == CONTENT["own_words_wants"]


# ------------------------------------------------------------------ writing and offering


def test_the_zorgcoordinator_saves_a_draft_and_finishes_later(cast, login, student):
    client = login(cast.zorg)
    url = reverse("students:handover", args=[student.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {**CONTENT, "save": "1"})
    assert response.status_code == 302
    handover = student.handovers.get()
    assert handover.status == Handover.Status.DRAFT and handover.support_needs == ["work", "money"]
    assert CONTENT["own_words_wants"] in client.get(url).content.decode()


def test_offering_without_consent_explains_why_and_keeps_the_draft(cast, login, student):
    response = login(cast.zorg).post(
        reverse("students:handover", args=[student.code]), {**CONTENT, "offer": "1", "receiver": f"org:{cast.rmc.code}"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "kan nog niet worden aangeboden" in body and "toestemming" in body
    with contextlib.suppress(NoReverseMatch):  # the consent step is built by the consent capability
        assert reverse("consent:record", args=[student.code]) in body
    assert student.handovers.get().status == Handover.Status.DRAFT


def test_offering_with_consent_reaches_the_rmc(cast, login, student):
    give_consent(student, Purpose.SHARING)
    response = login(cast.zorg).post(
        reverse("students:handover", args=[student.code]), {**CONTENT, "offer": "1", "receiver": f"org:{cast.rmc.code}"}
    )
    assert response.status_code == 302
    assert student.handovers.get().status == Handover.Status.OFFERED
    incoming = login(cast.coordinator).get(reverse("students:handovers_incoming"))
    assert student.full_name in incoming.content.decode()


def test_handover_page_per_role(cast, login, student):
    give_consent(student, Purpose.SHARING)
    url = reverse("students:handover", args=[student.code])
    assert login(cast.coordinator).get(url).status_code == 403
    assert login(cast.outsider_zorg).get(url).status_code == 404
    assert login(cast.zorg).delete(url).status_code == 405
    assert (
        login(cast.zorg).get(reverse("students:handover", args=["00000000-0000-0000-0000-000000000000"])).status_code
        == 404
    )


def test_bulk_offer_checks_consent_per_student(cast, login):
    with_consent = StudentFactory(school=cast.school, class_name="L2A")
    without = StudentFactory(school=cast.school, class_name="L2A")
    give_consent(with_consent, Purpose.SHARING)
    client = login(cast.zorg)
    listing = client.get(reverse("students:list"), {"class_name": "L2A"})
    assert listing.context["bulk"] is True
    response = client.post(
        reverse("students:handover_bulk"),
        {"organisation": str(cast.rmc.code), "student": [str(with_consent.code), str(without.code)]},
    )
    assert response.status_code == 200
    assert response.context["result"].offered == [with_consent]
    assert [s for s, _reason in response.context["result"].blocked] == [without]
    assert with_consent.handovers.get().status == Handover.Status.OFFERED
    assert not without.handovers.filter(status=Handover.Status.OFFERED).exists()


def test_bulk_offer_per_role_and_method(cast, login):
    other = StudentFactory(school=cast.other_school)
    mine = StudentFactory(school=cast.school)
    data = {"organisation": str(cast.rmc.code), "student": [str(other.code)]}
    assert login(cast.zorg).post(reverse("students:handover_bulk"), data).status_code == 404
    assert login(cast.coordinator).post(reverse("students:handover_bulk"), data).status_code == 403
    assert login(cast.zorg).get(reverse("students:handover_bulk")).status_code == 405
    data = {"organisation": str(cast.rmc.code), "student": [str(mine.code)]}
    assert login(cast.zorg).post(reverse("students:handover_bulk"), data).status_code == 200


# ------------------------------------------------------------------ receiving


def test_the_rmc_coordinator_accepts_with_a_coach(cast, login, student, django_capture_on_commit_callbacks):
    handover = _offered(cast, student)
    client = login(cast.coordinator)
    assert client.get(reverse("students:handover_review", args=[handover.code])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("students:handover_accept", args=[handover.code]), {"coach": cast.coach.pk})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.coach == cast.coach.user
    assert len(mail.outbox) == 1
    start = login(cast.zorg).get(reverse("students:list"))
    assert [h.pk for h in start.context["decisions"]] == [handover.pk]
    assert "Recente besluiten over overdrachten" in start.content.decode()


def test_a_coach_of_another_organisation_cannot_be_assigned(cast, login, student):
    handover = _offered(cast, student)
    response = login(cast.coordinator).post(
        reverse("students:handover_accept", args=[handover.code]), {"coach": cast.school_coach.pk}
    )
    assert response.status_code == 400
    handover.refresh_from_db()
    assert handover.status == Handover.Status.OFFERED


def test_a_named_coach_accepts_for_themselves(cast, login, student):
    handover = _offered(cast, student, coach=cast.coach.user)
    client = login(cast.coach)
    assert client.get(reverse("students:handovers_incoming")).context["handovers"] == [handover]
    colleague = MembershipFactory(organisation=cast.rmc, role=Role.COACH)
    assert (
        client.post(reverse("students:handover_accept", args=[handover.code]), {"coach": colleague.pk}).status_code
        == 400
    )
    assert (
        client.post(reverse("students:handover_accept", args=[handover.code]), {"coach": cast.coach.pk}).status_code
        == 302
    )
    student.refresh_from_db()
    assert student.coach == cast.coach.user


def test_decline_needs_a_reason_and_tells_the_sender(cast, login, student, django_capture_on_commit_callbacks):
    handover = _offered(cast, student)
    client = login(cast.coordinator)
    url = reverse("students:handover_decline", args=[handover.code])
    assert client.post(url, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Woont buiten onze regio"}).status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.DECLINED and handover.decline_reason == "Woont buiten onze regio"
    assert "afgewezen" in mail.outbox[0].subject.lower() and "Woont buiten onze regio" in mail.outbox[0].body
    student.refresh_from_db()
    assert student.guiding_organisation is None


def test_receiving_pages_per_role(cast, login, student):
    handover = _offered(cast, student)
    review = reverse("students:handover_review", args=[handover.code])
    accept = reverse("students:handover_accept", args=[handover.code])
    assert login(cast.outsider_coordinator).get(review).status_code == 404
    assert login(cast.gemeente_coordinator).get(review).status_code == 404  # offered to the RMC, not to them
    assert login(cast.zorg).get(review).status_code == 403
    assert login(cast.zorg).get(reverse("students:handovers_incoming")).status_code == 403
    assert login(cast.coordinator).get(accept).status_code == 405
    assert login(cast.coordinator).post(reverse("students:handovers_incoming")).status_code == 405
    unknown = reverse("students:handover_review", args=["00000000-0000-0000-0000-000000000000"])
    assert login(cast.coordinator).get(unknown).status_code == 404


def test_withdrawn_consent_hides_an_offered_handover(cast, login, student):
    handover = _offered(cast, student)
    give_consent(student, Purpose.SHARING, Status.WITHDRAWN)
    client = login(cast.coordinator)
    assert client.get(reverse("students:handovers_incoming")).context["handovers"] == []
    assert client.get(reverse("students:handover_review", args=[handover.code])).status_code == 404


def test_bulk_offer_without_a_choice_goes_back_to_the_list_only(cast, login):
    client = login(cast.zorg)
    response = client.post(reverse("students:handover_bulk"), {"next": "https://evil.example/", "organisation": ""})
    assert response.status_code == 302 and response.url == reverse("students:list")
    response = client.post(reverse("students:handover_bulk"), {"next": "/jongeren/?class_name=L2A"})
    assert response.url == "/jongeren/?class_name=L2A"


def test_the_school_withdraws_a_waiting_offer_and_can_offer_again(cast, login, student):
    handover = _offered(cast, student)
    client = login(cast.zorg)
    url = reverse("students:handover_withdraw", args=[student.code])
    assert client.get(url).status_code == 405
    assert login(cast.coordinator).post(url).status_code == 403
    assert login(cast.outsider_zorg).post(url).status_code == 404
    client = login(cast.zorg)
    assert client.post(url).status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.WITHDRAWN
    assert login(cast.coordinator).get(reverse("students:handovers_incoming")).context["handovers"] == []
    client = login(cast.zorg)
    assert client.post(url).status_code == 404  # nothing left to withdraw
    draft = client.get(reverse("students:handover", args=[student.code])).context["handover"]
    assert draft.pk is None and draft.own_words_wants == CONTENT["own_words_wants"]
