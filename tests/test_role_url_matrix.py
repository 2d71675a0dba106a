"""Role x URL: every URL pattern, opened (GET) by every role of the cast, gives the status in
EXPECTED. A URL without an entry fails the test, so a new page needs a stated expectation.

Objects in URLs are real: one student visible to the home roles (school ROC IJsselland, guided by
the RMC with consent, shared with the stagiair), an offered handover, a contact, a check-in, a
support action, an import batch, a consent text, and the cast's own organisations and users.
Outsiders (Rijnland) must get 404 on every object of IJssel-Vecht.

Status shorthand: 200 page, 302 redirect, 403 may not (role), 404 may not see (object),
405 wrong method (the view accepts POST only).

Every one of these answers, to every role, must say `Cache-Control: no-store, private` and carry
the Permissions-Policy: a shared computer's browser keeps nothing personal.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.test_anonymous import _walk

ROLES = (
    "zorg",
    "school_coach",
    "coach",
    "stagiair",
    "coordinator",
    "gemeente_coordinator",
    "matchtafel",
    "beheerder",
    "outsider_zorg",
    "outsider_coach",
    "outsider_coordinator",
)


def row(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in ROLES}


ALL_405 = row(405)
BEHEER = row(403, beheerder=200)
BEHEER_POST = row(405)
OUT_404 = {"outsider_zorg": 404, "outsider_coach": 404, "outsider_coordinator": 404}

EXPECTED: dict[str, dict[str, int]] = {
    # --- login, account and two-factor ------------------------------------------------------
    "home": row(302),
    "login": row(302),  # a logged-in user is sent on
    "logout": ALL_405,
    "set_language": row(302),
    "healthz": row(200),
    "two_factor:setup": row(200),  # no link opened yet: the page that mails one
    "two_factor:enrol_send": ALL_405,
    "two_factor:enrol_link": row(200),  # an invalid link shows a friendly page
    "two_factor:verify": row(302),  # no device yet: to enrolment
    "two_factor:recovery_codes": row(200),
    "two_factor:reset": ALL_405,
    "password_change": row(200),
    "password_change_done": row(200),
    "password_reset": row(200),
    "password_reset_done": row(200),
    "password_reset_confirm": row(200),  # an invalid link shows a friendly page
    "password_reset_complete": row(200),
    "invite_accept": row(200),  # an invalid link shows a friendly page
    # --- accounts: start page and beheer ----------------------------------------------------
    "accounts:start": row(200),
    "accounts:switch": ALL_405,
    "accounts:organisations": BEHEER,
    "accounts:organisation_create": BEHEER,
    "accounts:organisation_detail": BEHEER,
    "accounts:organisation_edit": BEHEER,
    "accounts:organisation_set_active": BEHEER_POST,
    "accounts:organisation_delete": BEHEER_POST,
    "accounts:users": BEHEER,
    "accounts:user_invite": BEHEER,
    "accounts:user_detail": BEHEER,
    "accounts:user_edit": BEHEER,
    "accounts:user_set_active": BEHEER_POST,
    "accounts:user_resend_invite": BEHEER_POST,
    "accounts:membership_add": BEHEER,
    "accounts:membership_edit": BEHEER,
    "accounts:membership_set_active": BEHEER_POST,
    "accounts:regions": BEHEER,
    "accounts:region_create": row(403),  # regions are data for the global beheerder only
    "accounts:region_detail": BEHEER,
    "accounts:region_edit": BEHEER,
    "accounts:municipality_create": BEHEER,
    "accounts:municipality_edit": BEHEER,
}

# Pages about the world's student: who may see it (students_visible_to) get 403 unless the
# page's permission allows them; who may not see it get 404 (no hint it exists).
SEES_STUDENT = ("zorg", "coach", "stagiair", "coordinator", "gemeente_coordinator")


def on_student(**allowed: int) -> dict[str, int]:
    base = {role: (403 if role in SEES_STUDENT else 404) for role in ROLES}
    base.update(allowed)
    return base


EXPECTED.update(
    {
        # --- students ---------------------------------------------------------------------------
        "students:list": row(
            403,
            zorg=200,
            school_coach=200,
            coach=200,
            stagiair=200,
            coordinator=200,
            gemeente_coordinator=200,
            outsider_zorg=200,
            outsider_coach=200,
            outsider_coordinator=200,
        ),
        "students:new": row(403, zorg=200, outsider_zorg=200),
        "students:import": row(403, zorg=200, outsider_zorg=200),
        # A fresh upload goes to the column mapping first.
        "students:import_mapping": row(403, zorg=200, outsider_zorg=404),
        # A file already read: the reading page sends on to the columns.
        "students:import_status": row(403, zorg=302, outsider_zorg=404),
        "students:import_preview": row(403, zorg=302, outsider_zorg=404),
        "students:import_confirm": ALL_405,
        "students:import_result": row(403, zorg=302, outsider_zorg=404),
        "students:import_errors": row(403, zorg=200, outsider_zorg=404),
        "students:handovers_incoming": row(
            403,
            school_coach=200,
            coach=200,
            coordinator=200,
            gemeente_coordinator=200,
            outsider_coach=200,
            outsider_coordinator=200,
        ),
        "students:handover_bulk": ALL_405,
        # Reviewing is for the receiving side; the sending zorgcoördinator is refused (403).
        "students:handover_review": row(
            403,
            coordinator=200,
            school_coach=404,
            coach=404,
            gemeente_coordinator=404,
            outsider_coach=404,
            outsider_coordinator=404,
        ),
        "students:handover_accept": ALL_405,
        "students:handover_decline": ALL_405,
        "students:detail": on_student(zorg=200, coach=200, stagiair=200, coordinator=200, gemeente_coordinator=200),
        "students:edit": on_student(zorg=200, coach=200),
        "students:handover": on_student(zorg=200, coach=200),
        "students:handover_withdraw": ALL_405,
        # --- consent ----------------------------------------------------------------------------
        "consent:record": on_student(zorg=200, coach=200),
        "consent:withdraw": on_student(zorg=200, coach=200),
        "consent:link": on_student(zorg=200, coach=200),
        "consent:history": on_student(zorg=200, coach=200, stagiair=200, coordinator=200, gemeente_coordinator=200),
        "consent:print": on_student(zorg=200, coach=200),
        "consent:renewals": row(
            403, zorg=200, coordinator=200, gemeente_coordinator=200, outsider_zorg=200, outsider_coordinator=200
        ),
        "consent:texts": BEHEER,
        "consent:text_create": BEHEER,
        # A published text is what young people read: every staff member may open it.
        "consent:text_detail": row(200),
        "consent:text_edit": row(403, beheerder=302),  # published: editing makes a new version
        "consent:text_publish": BEHEER_POST,
        # A guessed token reveals nothing: the same 404 page for everyone.
        "consent:public_answer": row(404),
        "consent:public_withdraw": row(404),
        "consent:public_done": row(200),
        "consent:public_new_link": row(200),
        "consent:public_new_link_sent": row(200),
        # --- the young person's self check-in -------------------------------------------------
        "checkins:public_start": row(404),
        "checkins:public_details": row(404),
        "checkins:public_contact": row(404),
        "checkins:public_done": row(200),
        # The SMS provider's delivery reports: without a valid signature, refused for everyone.
        "checkins:public_sms_report": row(403),
        "checkins:send": on_student(coach=200, stagiair=200, coordinator=200),
        "checkins:preference": on_student(coach=200, stagiair=200, coordinator=200),
        "checkins:plans": row(403, coordinator=200, gemeente_coordinator=200, outsider_coordinator=200),
        # A plan of the RMC: only its own coordinator; another organisation's coordinator 404.
        "checkins:plan_edit": row(403, coordinator=200, gemeente_coordinator=404, outsider_coordinator=404),
        # --- coaching ---------------------------------------------------------------------------
        "coaching:caseload": row(403, school_coach=200, coach=200, stagiair=200, outsider_coach=200),
        "coaching:team": row(
            403, coordinator=200, gemeente_coordinator=200, outsider_coordinator=200, zorg=200, outsider_zorg=200
        ),
        "coaching:contact_new": on_student(coach=200, stagiair=200, coordinator=200),
        "coaching:contact_unreached": ALL_405,
        "coaching:checkin_add": ALL_405,
        "coaching:plan_switch": ALL_405,
        "coaching:close": on_student(coach=200, coordinator=200),
        # Only a coordinator, and only a closed trajectory (the world's is open: 404; the page
        # itself is covered in tests/security/test_erasure_notice.py).
        "coaching:reopen": on_student(coordinator=404, gemeente_coordinator=404),
        "coaching:assign": ALL_405,
        "coaching:share": ALL_405,
        # Only the author edits a contact note (then it freezes).
        "coaching:contact_edit": on_student(coach=200),
        "coaching:checkin_move": ALL_405,
        "coaching:support_update": ALL_405,
        # The beheerder's list of reminders that were not sent (and why).
        "coaching:outbox_unsent": BEHEER,
        # --- dashboards -------------------------------------------------------------------------
        # Every role with students of its own has a dashboard of them; the national overview is
        # for the analyst only (tests/dashboards/test_dashboard_page.py).
        "dashboards:region": row(
            403,
            coordinator=200,
            gemeente_coordinator=200,
            outsider_coordinator=200,
            zorg=200,
            school_coach=200,
            coach=200,
            outsider_zorg=200,
            outsider_coach=200,
        ),
        "dashboards:national": row(403),
        # The table exports as the page (the format "x" in this matrix is unknown: 404 after the
        # role check); real formats in tests/dashboards/test_exports.py.
        "dashboards:export_table": row(
            403,
            coordinator=404,
            gemeente_coordinator=404,
            outsider_coordinator=404,
            zorg=404,
            school_coach=404,
            coach=404,
            outsider_zorg=404,
            outsider_coach=404,
        ),
        "dashboards:export_national": row(403),
        "dashboards:export_case_list": ALL_405,
        # A large export's page and file: its maker only (the coordinator made this one).
        "dashboards:export_job": row(403, coordinator=200, gemeente_coordinator=404, outsider_coordinator=404),
        "dashboards:export_job_file": row(403, coordinator=404, gemeente_coordinator=404, outsider_coordinator=404),
        "dashboards:research": row(403, coordinator=200, outsider_coordinator=200),
        "dashboards:research_log": BEHEER,
        "dashboards:research_export": ALL_405,
        # --- privacy ----------------------------------------------------------------------------
        "privacy:log": row(
            403, zorg=200, coordinator=200, gemeente_coordinator=200, outsider_zorg=200, outsider_coordinator=200
        ),
        "privacy:erasure_preview": row(
            403,
            zorg=200,
            coordinator=200,
            gemeente_coordinator=200,
            outsider_zorg=200,
            outsider_coordinator=200,
            beheerder=200,
        ),
        # The beheerder's door is the erasure preview: the world's student has no date (404).
        "privacy:hold": row(403, beheerder=404),
        **{
            f"privacy:{name}": on_student(zorg=200, coordinator=200)
            for name in ("student_log", "inzage", "inzage_json", "correction", "erase")
        },
    }
)


# POST-only pages (GET gives 405 for everyone): the roles that may act. Every other role must be
# refused with 403 or 404 before anything changes (only refused requests are sent, so the
# world stays as it is).
POST_ALLOWED: dict[str, set[str]] = {
    "logout": set(ROLES),
    "two_factor:reset": {"beheerder"},
    "two_factor:enrol_send": set(ROLES),  # every user may ask for their own link
    "accounts:switch": {"coach"},  # the code is the coach's own membership; others get 404
    "accounts:organisation_set_active": {"beheerder"},
    "accounts:organisation_delete": {"beheerder"},
    "accounts:user_set_active": {"beheerder"},
    "accounts:user_resend_invite": {"beheerder"},
    "accounts:membership_set_active": {"beheerder"},
    "students:import_confirm": {"zorg"},
    "students:handover_bulk": {"zorg", "outsider_zorg"},  # own school's students only
    "students:handover_accept": {"coordinator"},
    "students:handover_decline": {"coordinator"},
    "students:handover_withdraw": {"zorg", "coach"},
    "consent:text_publish": {"beheerder"},
    "coaching:contact_unreached": {"coach", "stagiair", "coordinator"},
    "coaching:checkin_add": {"coach", "stagiair", "coordinator"},
    "coaching:plan_switch": {"coach", "stagiair", "coordinator"},
    "coaching:assign": {"zorg", "coordinator"},
    "coaching:share": {"coach", "coordinator"},
    "coaching:checkin_move": {"coach", "stagiair", "coordinator"},
    "coaching:support_update": {"coach", "stagiair", "coordinator"},
    "dashboards:export_case_list": {"coordinator", "gemeente_coordinator", "outsider_coordinator"},
    "dashboards:research_export": {"coordinator"},
}


# --- the objects behind the codes ----------------------------------------------------------


class World:
    """Real objects for every kind of code in a URL, visible to the IJssel-Vecht cast."""

    def __init__(self, cast):
        from consent.models import Purpose
        from students.models import Handover, ImportBatch, StudentShare
        from tests.factories import ConsentTextFactory, HandoverFactory, StudentFactory, give_consent

        self.cast = cast
        self.student = StudentFactory(
            school=cast.school,
            municipality=cast.municipality,
            region=cast.region,
            guiding_organisation=cast.rmc,
            coach=cast.coach.user,
        )
        give_consent(self.student, Purpose.SHARING)
        StudentShare.objects.create(student=self.student, user=cast.stagiair.user, shared_by=cast.coach.user)
        offered = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
        give_consent(offered, Purpose.SHARING)
        self.handover = HandoverFactory(
            student=offered,
            status=Handover.Status.OFFERED,
            to_organisation=cast.rmc,
            offered_by=cast.zorg.user,
            offered_at=timezone.now(),
        )
        self.consent_text = ConsentTextFactory(region=cast.region)
        self.import_batch = ImportBatch.objects.create(
            school=cast.school, created_by=cast.zorg.user, filename="lijst.csv", headers=["naam"], rows=[["A"]]
        )
        self._coaching()

    def _coaching(self):
        from coaching.models import CheckIn, Contact, FollowUpPlan, SupportAction, Trajectory

        cast = self.cast
        plan = self.plan = FollowUpPlan.objects.create(organisation=cast.rmc, name="Regulier", rules=[])
        trajectory = Trajectory.objects.create(
            student=self.student,
            organisation=cast.rmc,
            coach=cast.coach.user,
            plan=plan,
            diploma_date=dt.date(2026, 7, 1),
            start_date=dt.date(2026, 7, 1),
            end_date=dt.date(2028, 7, 1),
        )
        self.checkin = CheckIn.objects.create(
            trajectory=trajectory, coach=cast.coach.user, due_date=timezone.localdate() + dt.timedelta(days=7)
        )
        self.contact = Contact.objects.create(
            student=self.student, trajectory=trajectory, author=cast.coach.user, at=timezone.now(), discussed="Stage"
        )
        self.support_action = SupportAction.objects.create(
            student=self.student, trajectory=trajectory, kind=SupportAction._meta.get_field("kind").choices[0][0]
        )

    def code_for(self, name: str) -> dict:
        cast = self.cast
        prefix, _sep, rest = name.partition(":")
        by_name = {
            "two_factor:reset": cast.coach.user.code,
            "password_reset_confirm": cast.coach.user.code,
            "invite_accept": cast.coach.user.code,
            "accounts:switch": cast.coach.code,
            "accounts:membership_edit": cast.coach.code,
            "accounts:membership_set_active": cast.coach.code,
            "accounts:municipality_create": cast.region.code,
            "accounts:municipality_edit": cast.municipality.code,
            "students:handover_review": self.handover.code,
            "students:handover_accept": self.handover.code,
            "students:handover_decline": self.handover.code,
            "coaching:contact_edit": self.contact.code,
            "coaching:checkin_move": self.checkin.code,
            "coaching:support_update": self.support_action.code,
            "checkins:plan_edit": self.plan.code,
        }
        if name in by_name:
            return {"code": by_name[name]}
        if name.startswith("dashboards:export_job"):
            from dashboards.models import ExportJob

            job, _created = ExportJob.objects.get_or_create(
                created_by=cast.coordinator.user,
                membership=cast.coordinator,
                file_format="csv",
                defaults={"expires_at": timezone.now() + dt.timedelta(hours=1)},
            )
            return {"code": job.code}
        if name == "dashboards:research_export":
            from dashboards.models import ResearchProject

            return {"code": ResearchProject.objects.get_or_create(name="Evaluatie", region=cast.region)[0].code}
        if name.startswith("accounts:organisation"):
            return {"code": cast.school.code}
        if name.startswith(("accounts:user", "accounts:membership_add")):
            return {"code": cast.coach.user.code}
        if name.startswith("accounts:region"):
            return {"code": cast.region.code}
        if name.startswith("students:import"):
            return {"code": self.import_batch.code}
        if name.startswith("consent:text"):
            return {"code": self.consent_text.code}
        if prefix in {"students", "consent", "coaching", "privacy", "checkins"}:
            return {"code": self.student.code}
        raise AssertionError(f"No object for the code in {name}: add it to World.code_for")


def _url(route: str, name: str, world: World) -> str:
    import re

    if "<uuid:code>" in route:
        route = route.replace("<uuid:code>", str(world.code_for(name)["code"]))
    route = re.sub(r"<uuid:[^>]+>", str(uuid.uuid4()), route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(str|slug)?:?[^>]+>", "x", route)
    return "/" + route


def _routes():
    from django.urls import get_resolver

    return [(n, r) for n, r, _p in _walk(get_resolver())]


def test_every_url_has_an_expectation():
    missing = sorted(n for n, _r in _routes() if n not in EXPECTED)
    assert not missing, f"URL names without an expectation in EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - {n for n, _r in _routes()})
    assert not stale, f"EXPECTED names no URL has any more: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name,route", _routes())
def test_each_role_gets_the_expected_status(client, cast, name, route):
    from accounts.middleware import SESSION_MEMBERSHIP_KEY

    expected = EXPECTED.get(name)
    if expected is None:
        pytest.fail(f"{name} has no expectation in EXPECTED")
    world = World(cast)
    url = _url(route, name, world)
    got = {}
    cacheable = {}
    for role in ROLES:
        membership = getattr(cast, role)
        client.force_login(membership.user)
        session = client.session
        session[SESSION_MEMBERSHIP_KEY] = membership.pk
        session.save()
        response = client.get(url)
        got[role] = response.status_code
        if not _never_cached(response):
            cacheable[role] = response.get("Cache-Control", "(none)")
        client.logout()
    wrong = {role: f"expected {expected[role]}, got {got[role]}" for role in ROLES if got[role] != expected[role]}
    assert not wrong, f"GET {url} ({name}): {wrong}"
    # Nothing personal in a browser's cache (issue 17): every answer to a signed-in user.
    assert not cacheable, f"GET {url} ({name}) may be cached: {cacheable}"


def _never_cached(response) -> bool:
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and response.get("Permissions-Policy", "").startswith("camera=()")


def test_every_post_only_url_states_who_may_act():
    post_only = {n for n, expected in EXPECTED.items() if set(expected.values()) == {405}}
    assert post_only == set(POST_ALLOWED), {
        "missing": sorted(post_only - set(POST_ALLOWED)),
        "stale": sorted(set(POST_ALLOWED) - post_only),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,route", [(n, r) for n, r in _routes() if n in POST_ALLOWED and POST_ALLOWED[n] != set(ROLES)]
)
def test_roles_that_may_not_act_are_refused_on_post(client, cast, name, route):
    from accounts.middleware import SESSION_MEMBERSHIP_KEY

    world = World(cast)
    url = _url(route, name, world)
    wrong = {}
    for role in ROLES:
        if role in POST_ALLOWED[name]:
            continue
        membership = getattr(cast, role)
        client.force_login(membership.user)
        session = client.session
        session[SESSION_MEMBERSHIP_KEY] = membership.pk
        session.save()
        response = client.post(url, {})
        if response.status_code not in {403, 404}:
            wrong[role] = response.status_code
        elif not _never_cached(response):
            wrong[role] = f"cacheable: {response.get('Cache-Control', '(none)')}"
        client.logout()
    assert not wrong, f"POST {url} ({name}) was not refused: {wrong}"
