"""A hand-made region where every dashboard figure is known in advance.

IJssel-Vecht (the cast's region), RMC coordinator's view, today = the test's today:

student     diploma     consent                          contacts                situations
in_view     13 mo ago   sharing, research given          reached 1 month ago     werk vast 20 h (+2 mo)
old         13 mo ago   sharing; research withdrawn      reached 5 months ago    werk tijdelijk 36 h (+5), opleiding (+8)
attempt     13 mo ago   sharing; research refused        not reached, 2 wk ago   onbekend (+10)
silent      13 mo ago   sharing                          none                    werk before the diploma only
late        3 mo ago    sharing (lives in Kampen)        none                    none
refused     13 mo ago   sharing refused                  -                       -
withdrew    13 mo ago   sharing given, then withdrawn    -                       -
moved       13 mo ago   sharing (now lives in Rijnland, still guided by the RMC)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import Membership, Organisation, Role
from coaching.models import CheckIn, Contact, ContractType, FollowUpPlan, SituationKind, SituationRecord, Trajectory
from students.models import Purpose, Status
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, StudentFactory, give_consent


@dataclass
class Known:
    students: dict
    analyst: Membership


def build(cast) -> Known:
    today = timezone.localdate()
    now = timezone.now()
    diploma = today - relativedelta(months=13)
    kampen = MunicipalityFactory(name="Kampen", region=cast.region)
    leiden = cast.other_school.region.municipalities.get(name="Leiden")

    def student(name, *, when=diploma, municipality=None, region=None, **kw):
        return StudentFactory(
            first_name=name.capitalize(),
            # Names no page or file text could contain by chance (a Faker "Klein" would).
            last_name="Qx" + name.replace("_", ""),
            school=cast.school,
            region=region or cast.region,
            municipality=municipality or cast.municipality,
            outcome_date=when,
            cohort=when.year,
            guiding_organisation=cast.rmc,
            **kw,
        )

    s = {
        "in_view": student("in_view", coach=cast.coach.user),
        "old": student("old", coach=cast.coach.user),
        "attempt": student("attempt"),
        "silent": student("silent"),
        "late": student("late", when=today - relativedelta(months=3), municipality=kampen),
        "refused": student("refused"),
        "withdrew": student("withdrew"),
        "moved": student("moved", municipality=leiden, region=leiden.region),
    }
    for name, st in s.items():
        if name == "refused":
            give_consent(st, status=Status.REFUSED)
        else:
            give_consent(st)
    give_consent(s["withdrew"], status=Status.WITHDRAWN)
    give_consent(s["in_view"], purpose=Purpose.RESEARCH)
    give_consent(s["old"], purpose=Purpose.RESEARCH)
    give_consent(s["old"], purpose=Purpose.RESEARCH, status=Status.WITHDRAWN)
    give_consent(s["attempt"], purpose=Purpose.RESEARCH, status=Status.REFUSED)

    def contact(st, ago, reached=True):
        Contact.objects.create(student=st, at=now - ago, reached=reached, author=cast.coach.user)

    contact(s["in_view"], relativedelta(months=1))
    contact(s["old"], relativedelta(months=5))
    contact(s["attempt"], dt.timedelta(days=14), reached=False)
    contact(s["moved"], dt.timedelta(days=3))

    def situation(st, after, kind, **kw):
        SituationRecord.objects.create(student=st, date=diploma + relativedelta(months=after), kind=kind, **kw)

    situation(s["in_view"], 2, SituationKind.WORK, contract_type=ContractType.PERMANENT, hours_per_week=20)
    situation(s["old"], 5, SituationKind.WORK, contract_type=ContractType.TEMPORARY, hours_per_week=36)
    situation(s["old"], 8, SituationKind.EDUCATION)
    situation(s["attempt"], 10, SituationKind.UNKNOWN)
    situation(s["silent"], -2, SituationKind.WORK, contract_type=ContractType.PERMANENT, hours_per_week=38)

    plan = FollowUpPlan.objects.create(organisation=cast.rmc, name="Bench", rules=[])
    trajectory = Trajectory.objects.create(
        student=s["in_view"],
        organisation=cast.rmc,
        coach=cast.coach.user,
        plan=plan,
        diploma_date=diploma,
        start_date=diploma,
        end_date=diploma + relativedelta(months=24),
    )

    def checkin(due_ago, status, done_ago=None):
        CheckIn.objects.create(
            trajectory=trajectory,
            coach=cast.coach.user,
            due_date=today - dt.timedelta(days=due_ago),
            status=status,
            completed_at=None if done_ago is None else now - dt.timedelta(days=done_ago),
        )

    checkin(20, CheckIn.Status.DONE, done_ago=18)  # on time
    checkin(40, CheckIn.Status.DONE, done_ago=30)  # ten days late
    checkin(10, CheckIn.Status.PLANNED)  # open, past its date
    checkin(-10, CheckIn.Status.PLANNED)  # still to come: not counted
    checkin(15, CheckIn.Status.CANCELLED)  # cancelled: not counted

    ministry = OrganisationFactory(name="Ministerie OCW", kind=Organisation.Kind.OTHER, region=cast.region)
    analyst = MembershipFactory(organisation=ministry, role=Role.ANALYST, user__email="analist@kwint.test")
    from dashboards.summary import summary_refresh_changed

    summary_refresh_changed(full=True)
    return Known(students=s, analyst=analyst)
