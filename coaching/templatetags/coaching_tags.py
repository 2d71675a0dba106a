"""The coaching panel on the student page (the students app includes our template)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from accounts.models import Role
from coaching.forms import CheckInDateForm
from coaching.models import CheckIn, SupportAction
from coaching.selectors import plans_for, stagiairs_of, student_coaching
from coaching.services import contact_is_editable
from students.access import Perm, has_perm

register = template.Library()

SCHEDULE_OPEN_UP_TO = 8


@register.inclusion_tag("coaching/_panel.html", takes_context=True)
def coaching_panel(context, student):
    request = context["request"]
    membership = getattr(request, "membership", None)
    data = student_coaching(student)
    can_log = has_perm(membership, student, Perm.LOG_CONTACT)
    trajectory = data["trajectory"]
    is_open = trajectory is not None and trajectory.is_open
    own_org = membership.organisation_id if membership is not None else None
    for contact in data["contacts"]:
        contact.editable = contact_is_editable(contact, request.user)
        # What was discussed stays with the organisation that guided the young person then:
        # consent lets the school share with RMC, not RMC's conversation notes flow back.
        contact.notes_visible = contact.trajectory is None or contact.trajectory.organisation_id == own_org
    may_share = membership is not None and (
        has_perm(membership, student, Perm.ASSIGN)
        or (membership.role == Role.COACH and student.coach_id == membership.user_id)
    )
    schedule = data["schedule"]
    return {
        **data,
        # The whole plan folds away once it is longer than a screenful.
        "schedule_open": len(schedule) <= SCHEDULE_OPEN_UP_TO,
        "schedule_counts": {status: sum(1 for c in schedule if c.status == status) for status in CheckIn.Status.values},
        "student": student,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "today": timezone.localdate(),
        "can_log": can_log,
        "is_open": is_open,
        "can_close": can_log and is_open and membership.role != Role.STAGIAIR,
        # A closed trajectory reads as closed: no contact actions, a coordinator may reopen it.
        "can_act": can_log and (is_open or trajectory is None),
        "can_reopen": (
            trajectory is not None
            and not is_open
            and membership is not None
            and membership.role == Role.COORDINATOR
            and trajectory.organisation_id == membership.organisation_id
        ),
        "can_assign": has_perm(membership, student, Perm.ASSIGN),
        "plans": plans_for(trajectory.organisation) if can_log and is_open else [],
        "stagiairs": list(stagiairs_of(membership.organisation)) if may_share else [],
        "support_statuses": SupportAction.Status.choices,
        "date_form": CheckInDateForm(),
    }
