"""The main pages of Kwint per role, on the seeded demo: what the language, date-style and
accessibility tests walk through.

`demo_world()` runs `seed_demo` (small) and adds what a page needs to show everything it can:
a personal consent link for the public pages. `main_pages()` lists (who, name, path) for every
main page each role uses; `visible_text()` is what a reader gets from a page, including the
texts only a screen reader reads (aria-label, alt, title, placeholder, button values).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from accounts.middleware import SESSION_MEMBERSHIP_KEY
from accounts.models import Membership, Organisation, Region, Role, User
from consent.links import consent_link_create
from consent.models import ConsentLink, ConsentText
from students.models import Handover, Student

PUBLIC = "public"


@dataclass(frozen=True)
class MainPage:
    who: str  # a demo e-mail address, or PUBLIC for the pages without login
    name: str
    path: str

    @property
    def id(self) -> str:
        return f"{self.who.split('@')[0]}-{self.name}"


@dataclass
class DemoWorld:
    coached: Student
    school_student: Student
    answer_token: str
    withdraw_token: str
    checkin_token: str = ""  # an unanswered self check-in link of the demo


def demo_world(settings, students: int = 40) -> DemoWorld:
    settings.DEBUG = True  # seed_demo refuses to run otherwise (it publishes a password)
    call_command("seed_demo", students=students, stdout=io.StringIO())
    settings.DEBUG = False
    coached = (
        Student.objects.filter(coach__email="coach@kwint.demo", trajectories__contacts__isnull=False)
        .distinct()
        .order_by("student_number")
        .first()
    )
    school_student = (
        Student.objects.filter(school__name="ROC IJsselland", handovers__status=Handover.Status.OFFERED)
        .order_by("student_number")
        .first()
    )
    _, answer = consent_link_create(student=school_student, kind=ConsentLink.Kind.ANSWER)
    _, withdraw = consent_link_create(student=coached, kind=ConsentLink.Kind.WITHDRAW)
    from checkins.models import Link
    from checkins.services import link_token

    unanswered = Link.objects.filter(answer_count=0).order_by("pk").first()
    return DemoWorld(
        coached=coached,
        school_student=school_student,
        answer_token=answer,
        withdraw_token=withdraw,
        checkin_token=link_token(unanswered) if unanswered else "",
    )


def main_pages(world: DemoWorld) -> list[MainPage]:
    coached, school = world.coached.code, world.school_student.code
    organisation = Organisation.objects.get(name="ROC IJsselland").code
    region = Region.objects.get(name="IJssel-Vecht").code
    managed = User.objects.get(email="coach@kwint.demo").code
    text = ConsentText.objects.order_by("pk").first().code
    incoming = Handover.objects.filter(
        status=Handover.Status.OFFERED, to_organisation__name="RMC / Doorstroompunt IJssel-Vecht"
    ).first()
    pages = [
        MainPage(PUBLIC, "login", reverse("login")),
        MainPage(PUBLIC, "consent-answer", reverse("consent:public_answer", args=[world.answer_token])),
        MainPage(PUBLIC, "consent-withdraw", reverse("consent:public_withdraw", args=[world.withdraw_token])),
        MainPage(PUBLIC, "consent-new-link", reverse("consent:public_new_link")),
        MainPage("coach@kwint.demo", "caseload", reverse("coaching:caseload")),
        MainPage("coach@kwint.demo", "student", reverse("students:detail", args=[coached])),
        MainPage("coach@kwint.demo", "contact-form", reverse("coaching:contact_new", args=[coached])),
        MainPage("coach@kwint.demo", "close-form", reverse("coaching:close", args=[coached])),
        MainPage("zorg@kwint.demo", "student-list", reverse("students:list")),
        MainPage("zorg@kwint.demo", "student", reverse("students:detail", args=[school])),
        MainPage("zorg@kwint.demo", "student-edit", reverse("students:edit", args=[school])),
        MainPage("zorg@kwint.demo", "consent-record", reverse("consent:record", args=[school])),
        MainPage("zorg@kwint.demo", "consent-history", reverse("consent:history", args=[school])),
        MainPage("zorg@kwint.demo", "import", reverse("students:import")),
        MainPage("zorg@kwint.demo", "handover-form", reverse("students:handover", args=[school])),
        MainPage("rmc@kwint.demo", "region", reverse("dashboards:region")),
        MainPage("rmc@kwint.demo", "research", reverse("dashboards:research")),
        MainPage("rmc@kwint.demo", "team", reverse("coaching:team")),
        MainPage("rmc@kwint.demo", "renewals", reverse("consent:renewals")),
        MainPage("rmc@kwint.demo", "handovers", reverse("students:handovers_incoming")),
        MainPage("rmc@kwint.demo", "access-log", reverse("privacy:log")),
        MainPage("rmc@kwint.demo", "erasure", reverse("privacy:erasure_preview")),
        MainPage("rmc@kwint.demo", "inzage", reverse("privacy:inzage", args=[coached])),
        MainPage("rmc@kwint.demo", "student-log", reverse("privacy:student_log", args=[coached])),
        MainPage("rmc@kwint.demo", "student", reverse("students:detail", args=[coached])),
        MainPage("rmc@kwint.demo", "correction", reverse("privacy:correction", args=[coached])),
        MainPage("beheer@kwint.demo", "organisations", reverse("accounts:organisations")),
        MainPage("beheer@kwint.demo", "organisation", reverse("accounts:organisation_detail", args=[organisation])),
        MainPage("beheer@kwint.demo", "users", reverse("accounts:users")),
        MainPage("beheer@kwint.demo", "user", reverse("accounts:user_detail", args=[managed])),
        MainPage("beheer@kwint.demo", "regions", reverse("accounts:regions")),
        MainPage("beheer@kwint.demo", "research-log", reverse("dashboards:research_log")),
        MainPage("beheer@kwint.demo", "region", reverse("accounts:region_detail", args=[region])),
        MainPage("beheer@kwint.demo", "consent-texts", reverse("consent:texts")),
        MainPage("beheer@kwint.demo", "consent-text", reverse("consent:text_detail", args=[text])),
        MainPage("beheer@kwint.demo", "erasure", reverse("privacy:erasure_preview")),
        MainPage("beheer@kwint.demo", "outbox-unsent", reverse("coaching:outbox_unsent")),
        MainPage("coach@kwint.demo", "checkin-send", reverse("checkins:send", args=[coached])),
        MainPage("coach@kwint.demo", "checkin-preference", reverse("checkins:preference", args=[coached])),
        MainPage("rmc@kwint.demo", "checkin-plans", reverse("checkins:plans")),
    ]
    if world.checkin_token:
        pages.append(MainPage(PUBLIC, "checkin-start", reverse("checkins:public_start", args=[world.checkin_token])))
    if incoming is not None:
        pages.append(
            MainPage("rmc@kwint.demo", "handover-review", reverse("students:handover_review", args=[incoming.code]))
        )
    return pages


# The role each demo account acts in on these pages (rmc@ also coaches).
ROLE_OF = {
    "coach@kwint.demo": Role.COACH,
    "zorg@kwint.demo": Role.ZORGCOORDINATOR,
    "rmc@kwint.demo": Role.COORDINATOR,
    "beheer@kwint.demo": Role.BEHEERDER,
}


def membership_of(email: str) -> Membership:
    return Membership.objects.get(user__email=email, role=ROLE_OF[email])


def client_for(client, who: str, language: str = "nl"):
    """The Django test client logged in as `who` (or anonymous), reading in `language`."""
    client.logout()
    if who != PUBLIC:
        membership = membership_of(who)
        client.force_login(membership.user)
        session = client.session
        session[SESSION_MEMBERSHIP_KEY] = membership.pk
        session.save()
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


class _TextParser(HTMLParser):
    SKIP = {"script", "style", "template"}
    ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "aria-description"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0
        self._language = ""
        # A part marked as written in another language (lang="nl" on an English page, the
        # WCAG "language of parts"): not the interface's language, so not checked.
        self._foreign: list[list] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self._language = attributes.get("lang", "")
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] += 1
        elif attributes.get("lang") and tag != "html" and attributes["lang"] != self._language:
            self._foreign.append([tag, 1])
        if tag in self.SKIP:
            self._skipping += 1
        if self._foreign:
            return
        self.parts += [v for k, v in attributes.items() if k in self.ATTRIBUTES and v]
        if tag == "input" and attributes.get("type") in {"submit", "button"} and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] -= 1
            if not self._foreign[-1][1]:
                self._foreign.pop()
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and not self._foreign and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    return re.sub(r"\s+", " ", " · ".join(parser.parts))


def data_strings() -> list[str]:
    """Free text and names held in the database: a page may show them in any language.
    Fields stored per language (`name` beside `name_en`) are left out: those must be shown in
    the reader's language. Longest first, so a name is removed before a word inside it."""
    found: set[str] = set()
    for model in apps.get_models():
        # Kwint's records; the access log's own columns (action codes) are no free text.
        if model._meta.app_label not in {"accounts", "students", "consent", "coaching", "privacy"}:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.EmailField)
            and not f.choices
            and f"{f.name}_en" not in names
            and not (f.name.endswith("_nl") and f"{f.name[:-3]}_en" in names)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            found |= {value.strip() for value in row if isinstance(value, str) and len(value.strip()) > 2}
    return sorted(found, key=len, reverse=True)


def without_data(text: str, data: list[str]) -> str:
    """The page's text with every name and free text from the database blanked out."""
    for value in data:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "⟨…⟩", text)
    return text
