"""Demo self check-ins, called at the end of coaching's demo (seed_demo): for the demo
jobcoach, young people who answered, who asked for contact, and who did not answer yet.
Idempotent: nothing is added once any demo check-in link exists."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from checkins.models import Link, Message
from checkins.selectors import channels_for, ineligible_reason
from checkins.services import answer_submit, current_checkin, link_for_checkin
from students.models import Student

DEMO_COACH = "coach@kwint.demo"

# In this order, so that a small demo has each kind: (days ago sent, answer or None).
PLAN = [
    (
        2,
        {
            "activity": "looking",
            "wants_contact": "whatsapp",
            "moment": "evening",
            "message": "Mijn contract is gestopt. Kunnen we praten over nieuw werk?",
        },
    ),
    (6, None),  # sent six days ago, no answer: "geen antwoord" on the caseload
    (
        3,
        {
            "activity": "work",
            "organisation_name": "Jumbo Distributiecentrum",
            "hours_per_week": 32,
            "contract_type": "tijdelijk",
            "wants_contact": "no",
        },
    ),
    (1, None),  # sent yesterday: "link verstuurd"
    (
        4,
        {
            "activity": "school",
            "organisation_name": "Mbo niveau 3 logistiek",
            "hours_per_week": 20,
            "wants_contact": "no",
        },
    ),
]


def seed_checkins() -> int:
    if Link.objects.exists():
        return 0
    candidates = [
        s
        for s in Student.objects.filter(coach__email=DEMO_COACH, erased_at__isnull=True).order_by("student_number")
        if ineligible_reason(s) is None
    ]
    now = timezone.now()
    made = 0
    for student, (days_ago, spec) in zip(candidates, PLAN, strict=False):
        link, _token = link_for_checkin(student=student, checkin=current_checkin(student))
        sent_at = now - dt.timedelta(days=days_ago)
        for channel in channels_for(student):
            Message.objects.create(
                key=f"demo:{link.pk}:0:{channel}",
                student=student,
                link=link,
                kind=Message.Kind.FIRST,
                channel=channel,
                recipient=student.phone if channel == Message.Channel.SMS else student.email,
                on_date=timezone.localdate(sent_at),
                status=Message.Status.DELIVERED if channel == Message.Channel.SMS else Message.Status.SENT,
                sent_at=sent_at,
                delivered_at=sent_at if channel == Message.Channel.SMS else None,
            )
        Link.objects.filter(pk=link.pk).update(created_at=sent_at)
        if spec is not None:
            answer_submit(link=link, **spec)
        made += 1
    return made
