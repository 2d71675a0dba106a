"""Load demo data: two regions, schools, RMC, gemeenten, a cast of users and a few hundred students.

Lives in `coaching`, the highest of the record apps, because it uses every app below it.
Idempotent (run it twice, get the same data) and refused outside demo/debug mode: it creates
accounts with a published password.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import CoachKind, Membership, Municipality, Organisation, Region, Role, User
from coaching.demo import seed_coaching
from consent.models import ConsentRecord, ConsentText, Purpose, Status
from consent.services import consent_record
from students.models import Handover, Leerweg, Outcome, Student, SupportNeed
from students.retention import retention_refresh
from students.services import timeline_add

DEMO_PASSWORD = "kwint-demo-2026"

REGIONS = {
    "IJssel-Vecht": ["Zwolle", "Kampen", "Dalfsen", "Hardenberg", "Ommen", "Staphorst", "Zwartewaterland"],
    "Rijnland": ["Leiden", "Leiderdorp", "Alphen aan den Rijn", "Katwijk", "Oegstgeest"],
}

# (name, kind, region, municipality)
ORGANISATIONS = [
    ("ROC IJsselland", Organisation.Kind.SCHOOL, "IJssel-Vecht", "Zwolle"),
    ("Vechtdal mbo", Organisation.Kind.SCHOOL, "IJssel-Vecht", "Hardenberg"),
    ("RMC / Doorstroompunt IJssel-Vecht", Organisation.Kind.RMC, "IJssel-Vecht", "Zwolle"),
    ("Gemeente Zwolle", Organisation.Kind.GEMEENTE, "IJssel-Vecht", "Zwolle"),
    ("Werkgeversservicepunt IJssel-Vecht", Organisation.Kind.WSP, "IJssel-Vecht", "Zwolle"),
    ("mbo Rijnstreek", Organisation.Kind.SCHOOL, "Rijnland", "Leiden"),
    ("Doorstroompunt Rijnland", Organisation.Kind.RMC, "Rijnland", "Leiden"),
]

# (email, name, organisation, role, coach kind, capacity)
USERS = [
    ("beheer@kwint.demo", "Bram Beheer", "RMC / Doorstroompunt IJssel-Vecht", Role.BEHEERDER, "", None),
    ("rmc@kwint.demo", "Ria Meijer", "RMC / Doorstroompunt IJssel-Vecht", Role.COORDINATOR, "", None),
    ("coach@kwint.demo", "Jamal El Amrani", "RMC / Doorstroompunt IJssel-Vecht", Role.COACH, CoachKind.JOBCOACH, 60),
    (
        "traject@kwint.demo",
        "Sanne de Vries",
        "RMC / Doorstroompunt IJssel-Vecht",
        Role.COACH,
        CoachKind.TRAJECTBEGELEIDER,
        80,
    ),
    ("stagiair@kwint.demo", "Lotte Bakker", "RMC / Doorstroompunt IJssel-Vecht", Role.STAGIAIR, "", 10),
    ("zorg@kwint.demo", "Fatma Özdil", "ROC IJsselland", Role.ZORGCOORDINATOR, "", None),
    ("doorwerk@kwint.demo", "Peter van 't Hof", "ROC IJsselland", Role.COACH, CoachKind.DOORWERKCOACH, 20),
    ("zorg.vechtdal@kwint.demo", "Henk Jansen", "Vechtdal mbo", Role.ZORGCOORDINATOR, "", None),
    ("consulent@kwint.demo", "Marieke d'Amico", "Gemeente Zwolle", Role.COACH, CoachKind.CONSULENT, 100),
    ("gemeente@kwint.demo", "Kees Mulder", "Gemeente Zwolle", Role.COORDINATOR, "", None),
    ("matchtafel@kwint.demo", "Yvonne Smit", "Werkgeversservicepunt IJssel-Vecht", Role.MATCHTAFEL, "", None),
    ("zorg.rijnland@kwint.demo", "Annelies Verbeek", "mbo Rijnstreek", Role.ZORGCOORDINATOR, "", None),
    ("rmc.rijnland@kwint.demo", "Wouter de Graaf", "Doorstroompunt Rijnland", Role.COORDINATOR, "", None),
    ("coach.rijnland@kwint.demo", "Noor Haddou", "Doorstroompunt Rijnland", Role.COACH, CoachKind.JOBCOACH, 60),
]
# A second role for one demo user: the RMC coordinator also coaches a few young people.
EXTRA_MEMBERSHIPS = [
    ("rmc@kwint.demo", "RMC / Doorstroompunt IJssel-Vecht", Role.COACH, CoachKind.TRAJECTBEGELEIDER, 15)
]

# (official first name, roepnaam): a school registers both; most young people go by their
# first name, some by a usual short form. Never a cut-off name.
FIRST_NAMES = [
    ("Daan", "Daan"),
    ("Sem", "Sem"),
    ("Noah", "Noah"),
    ("Lucas", "Luuk"),
    ("Mohammed", "Mo"),
    ("Liam", "Liam"),
    ("Finn", "Finn"),
    ("Mila", "Mila"),
    ("Emma", "Emma"),
    ("Julia", "Julia"),
    ("Sara", "Sara"),
    ("Yara", "Yara"),
    ("Noor", "Noor"),
    ("Fenna", "Fenna"),
    ("Charlotte", "Lotte"),
    ("Zoë", "Zoë"),
    ("Aylin", "Aylin"),
    ("Emre", "Emre"),
    ("Kofi", "Kofi"),
    ("Dewi", "Dewi"),
    ("Matthijs", "Thijs"),
    ("Abraham", "Bram"),
    ("Anouk", "Anouk"),
    ("Iris", "Iris"),
    ("Youssef", "Youssef"),
    ("Ilias", "Ilias"),
    ("Selin", "Selin"),
    ("Priya", "Priya"),
    ("Jesse", "Jesse"),
    ("Stijn", "Stijn"),
    ("Chloë", "Chloë"),
    ("Mees", "Mees"),
    ("Rayan", "Rayan"),
    ("Amira", "Amira"),
    ("Bilal", "Bilal"),
]
# (tussenvoegsel, achternaam) as Dutch surnames really go together: "de Vries", "van den Berg".
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("", "Yılmaz"),
    ("", "El Idrissi"),
    ("", "Kaya"),
    ("", "Özdemir"),
    ("van", "Wijk"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van der", "Meer"),
    ("van 't", "Hof"),
    ("ter", "Horst"),
    ("in 't", "Veld"),
    ("", "Koster"),
    ("", "Prins"),
    ("", "Huisman"),
    ("", "D'Souza"),
    ("", "Postma"),
]
PROGRAMMES = [
    ("Medewerker logistiek", "25453", 2, "Transport en logistiek"),
    ("Entree - assistent logistiek", "25255", 1, "Entree"),
    ("Verkoopmedewerker", "25467", 2, "Handel"),
    ("Entree - assistent verkoop/retail", "25256", 1, "Entree"),
    ("Helpende zorg en welzijn", "25498", 2, "Zorg en welzijn"),
    ("Basismedewerker fastfood", "25181", 2, "Horeca"),
    ("Medewerker bouw", "25409", 2, "Bouw"),
    ("Medewerker groen", "25639", 2, "Groen"),
    ("Gastheer/-vrouw", "25169", 2, "Horeca"),
    ("Medewerker ICT support", "25605", 3, "ICT"),
]
STREETS_POSTCODES = {
    "Zwolle": "80",
    "Kampen": "82",
    "Dalfsen": "77",
    "Hardenberg": "77",
    "Ommen": "77",
    "Staphorst": "79",
    "Zwartewaterland": "80",
    "Leiden": "23",
    "Leiderdorp": "23",
    "Alphen aan den Rijn": "24",
    "Katwijk": "22",
    "Oegstgeest": "23",
}

CONSENT_TEXTS = {
    Purpose.CONTACT: (
        "Contact na je diploma",
        "Na je diploma wil een coach contact met je houden, twee jaar lang. De coach belt, appt of mailt je "
        "af en toe om te vragen hoe het gaat met werk of school. Je mag altijd zeggen dat je geen contact meer wilt.",
        "Contact after your diploma",
        "After your diploma a coach would like to stay in touch for two years. The coach calls, texts or e-mails "
        "you now and then to ask how work or school is going. You can always say you no longer want contact.",
    ),
    Purpose.SHARING: (
        "Je gegevens delen met RMC / Doorstroompunt en gemeente",
        "Je school geeft je naam, contactgegevens, opleiding en wat je nodig hebt door aan het RMC / "
        "Doorstroompunt en je gemeente. Zij kunnen je dan helpen met werk, een opleiding of geldzaken.",
        "Sharing your details with RMC / Doorstroompunt and the municipality",
        "Your school passes your name, contact details, programme and what you need to the RMC / "
        "Doorstroompunt and your municipality, so they can help you with work, education or money matters.",
    ),
    Purpose.MATCHTAFEL: (
        "Bespreken aan de Matchtafel",
        "Aan de Matchtafel zoeken het UWV, het Werkgeversservicepunt, de gemeente, school en RMC samen een baan "
        "die bij je past. Je situatie wordt daar besproken.",
        "Discussion at the Matchtafel",
        "At the Matchtafel, UWV, the employer service point, the municipality, the school and RMC look together "
        "for a job that suits you. Your situation is discussed there.",
    ),
    Purpose.RESEARCH: (
        "Gebruik voor onderzoek",
        "Onderzoekers willen weten of de begeleiding helpt. Ze krijgen je gegevens zonder naam of andere "
        "dingen waaraan je te herkennen bent.",
        "Use for research",
        "Researchers want to know whether the guidance helps. They receive your data without your name or "
        "anything else that identifies you.",
    ),
}


class Command(BaseCommand):
    help = "Load idempotent demo data (demo or DEBUG mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=300, help="Number of students (default 300).")

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError("seed_demo only runs in demo mode (KWINT_ENV=demo) or with DEBUG on.")
        with transaction.atomic():
            regions, municipalities = self._regions()
            organisations = self._organisations(regions, municipalities)
            users = self._users(organisations)
            texts = self._consent_texts(regions, users["beheer@kwint.demo"])
            created = self._students(options["students"], organisations, municipalities, users, texts)
            self._handover_states(organisations, users)
            seed_coaching()  # trajectories, contacts, situations for coached students (coaching.demo)
            # Every record shows its erasure date from the start; each is a full notice period
            # ahead at least, so the first night erases nothing (students.retention).
            retention_refresh()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new students). Password: {DEMO_PASSWORD}"))

    def _regions(self):
        regions, municipalities = {}, {}
        for number, (name, gemeenten) in enumerate(REGIONS.items(), start=1):
            regions[name], _ = Region.objects.get_or_create(name=name, defaults={"number": number})
            for gemeente in gemeenten:
                municipalities[gemeente], _ = Municipality.objects.get_or_create(
                    name=gemeente, defaults={"region": regions[name]}
                )
        return regions, municipalities

    def _organisations(self, regions, municipalities):
        organisations = {}
        for name, kind, region, gemeente in ORGANISATIONS:
            organisations[name], _ = Organisation.objects.get_or_create(
                name=name,
                region=regions[region],
                defaults={"kind": kind, "municipality": municipalities[gemeente]},
            )
        return organisations

    def _users(self, organisations):
        users = {}
        for email, name, org, role, kind, capacity in USERS:
            user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users[email] = user
            Membership.objects.get_or_create(
                user=user,
                organisation=organisations[org],
                role=role,
                defaults={"coach_kind": kind, "capacity": capacity},
            )
        for email, org, role, kind, capacity in EXTRA_MEMBERSHIPS:
            Membership.objects.get_or_create(
                user=users[email],
                organisation=organisations[org],
                role=role,
                defaults={"coach_kind": kind, "capacity": capacity},
            )
        return users

    def _consent_texts(self, regions, author):
        texts = {}
        for region in regions.values():
            for purpose, (title_nl, body_nl, title_en, body_en) in CONSENT_TEXTS.items():
                texts[(region.pk, purpose)], _ = ConsentText.objects.get_or_create(
                    region=region,
                    school=None,
                    purpose=purpose,
                    version=1,
                    defaults={
                        "title_nl": title_nl,
                        "body_nl": body_nl,
                        "title_en": title_en,
                        "body_en": body_en,
                        "effective_from": dt.date(2026, 1, 1),
                        "published_at": timezone.now(),
                        "created_by": author,
                    },
                )
        return texts

    def _students(self, count, organisations, municipalities, users, texts):
        rng = random.Random(2026)  # deterministic: the same demo every time
        schools = [o for o in organisations.values() if o.kind == Organisation.Kind.SCHOOL]
        rmc = {o.region_id: o for o in organisations.values() if o.kind == Organisation.Kind.RMC}
        coaches_by_rmc = {
            org.pk: [m.user for m in Membership.objects.filter(organisation=org, role=Role.COACH)]
            for org in rmc.values()
        }
        zorg_by_school = {
            org.pk: Membership.objects.filter(organisation=org, role=Role.ZORGCOORDINATOR).first().user
            for org in schools
        }
        today = timezone.localdate()
        created = 0
        for i in range(count):
            school = schools[i % len(schools)]
            number = f"{school.pk:02d}{100000 + i}"
            if Student.objects.filter(school=school, student_number=number).exists():
                continue
            gemeenten = [m for m in municipalities.values() if m.region_id == school.region_id]
            gemeente = rng.choice(gemeenten)
            programme, crebo, level, sector = rng.choice(PROGRAMMES)
            cohort = rng.choice([today.year - 2, today.year - 1, today.year, today.year + 1])
            diploma_day = dt.date(cohort, rng.choice([6, 7]), rng.randint(1, 28))
            if diploma_day <= today:
                outcome = rng.choices([Outcome.DIPLOMA, Outcome.LEFT], weights=[9, 1])[0]
            else:
                outcome = Outcome.STUDYING
            age_at_diploma = rng.choice([16, 17, 18, 18, 19, 19, 20, 21, 22])
            first, roepnaam = rng.choice(FIRST_NAMES)
            tussenvoegsel, last_name = rng.choice(LAST_NAMES)
            student = Student.objects.create(
                first_name=first,
                roepnaam=roepnaam,
                tussenvoegsel=tussenvoegsel,
                last_name=last_name,
                date_of_birth=diploma_day - dt.timedelta(days=365 * age_at_diploma + rng.randint(0, 364)),
                phone=f"+316{rng.randint(10000000, 99999999)}",
                email=f"student{i}@leerling.demo",
                postcode=f"{STREETS_POSTCODES[gemeente.name]}{rng.randint(10, 99)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
                woonplaats=gemeente.name,
                municipality=gemeente,
                region=gemeente.region,
                school=school,
                location=f"{school.municipality.name} Centrum",
                student_number=number,
                programme_name=programme,
                crebo=crebo,
                level=level,
                leerweg=rng.choice([Leerweg.BOL, Leerweg.BOL, Leerweg.BBL]),
                sector=sector,
                class_name=f"{'E' if level == 1 else 'N'}{level}{rng.choice('ABC')}",
                cohort=cohort,
                expected_diploma_date=diploma_day,
                outcome=outcome,
                outcome_date=diploma_day if outcome != Outcome.STUDYING else None,
                is_vulnerable=rng.random() < 0.35,
                support_needs=rng.sample([n.value for n in SupportNeed], k=rng.randint(0, 3)),
            )
            created += 1
            zorg = zorg_by_school[school.pk]
            # The school brought the student in during the last school year, not today.
            brought_in = timezone.make_aware(dt.datetime.combine(diploma_day - dt.timedelta(days=300), dt.time(9)))
            timeline_add(
                student=student,
                event="student_created",
                data={"source": "school_administration"},
                actor=zorg,
                at=min(brought_in, timezone.now()),
            )
            self._consent_and_handover(student, rng, texts, zorg, rmc.get(school.region_id), coaches_by_rmc)
        return created

    def _consent_and_handover(self, student, rng, texts, zorg, rmc_org, coaches_by_rmc):
        state = rng.choices(["none", "given", "refused", "withdrawn"], weights=[3, 6, 1, 1])[0]
        if state == "none" or student.outcome == Outcome.STUDYING and rng.random() < 0.7:
            if rng.random() < 0.5:
                Handover.objects.create(
                    student=student,
                    created_by=zorg,
                    what_works="Korte, concrete afspraken; appt liever dan bellen.",
                    own_words_wants="Ik wil gewoon werken, het liefst in een magazijn.",
                    preferred_channel=Handover.Channel.WHATSAPP,
                )
            return
        answered = timezone.now() - dt.timedelta(days=rng.randint(30, 600))
        for purpose in (Purpose.CONTACT, Purpose.SHARING, Purpose.MATCHTAFEL, Purpose.RESEARCH):
            status = Status.REFUSED if state == "refused" else Status.GIVEN
            if purpose in (Purpose.MATCHTAFEL, Purpose.RESEARCH) and rng.random() < 0.4:
                status = Status.REFUSED
            consent_record(
                student=student,
                purpose=purpose,
                status=status,
                method=ConsentRecord.Method.PAPER,
                text=texts[(student.region_id, purpose)],
                recorded_by=zorg,
                answered_at=answered,
            )
        if state == "withdrawn":
            consent_record(
                student=student,
                purpose=Purpose.SHARING,
                status=Status.WITHDRAWN,
                method=ConsentRecord.Method.PHONE,
                text=texts[(student.region_id, Purpose.SHARING)],
                recorded_by=zorg,
                answered_at=answered + dt.timedelta(days=20),
            )
            return
        if state == "given" and rmc_org is not None:
            coaches = coaches_by_rmc.get(rmc_org.pk) or []
            handover = Handover.objects.create(
                student=student,
                created_by=zorg,
                to_organisation=rmc_org,
                status=Handover.Status.OFFERED,
                what_works="Werkt goed met een vaste contactpersoon.",
                own_words_wants="Ik wil een vaste baan.",
                own_words_needs="Hulp bij mijn cv en iemand die meegaat naar een gesprek.",
                preferred_channel=rng.choice(list(Handover.Channel)),
                offered_by=zorg,
                offered_at=answered,
                support_needs=student.support_needs,
            )
            if coaches and rng.random() < 0.8:
                coach = rng.choice(coaches)
                handover.status = Handover.Status.ACCEPTED
                handover.decided_at = answered + dt.timedelta(days=3)
                handover.save(update_fields=["status", "decided_at"])
                student.guiding_organisation = rmc_org
                student.coach = coach
                student.save(update_fields=["guiding_organisation", "coach"])
                timeline_add(
                    student=student,
                    event="coach_assigned",
                    data={"organisation_name": rmc_org.name, "coach_name": coach.full_name},
                    at=handover.decided_at,
                )

    def _handover_states(self, organisations, users):
        """Make sure the demo shows every handover state (students app): a declined handover
        with its reason, one offered to the gemeente, and one offered to the school's own
        doorwerkcoach by name. Idempotent: each is only made when that state is missing."""
        school = organisations["ROC IJsselland"]
        gemeente = organisations["Gemeente Zwolle"]
        doorwerk = users["doorwerk@kwint.demo"]
        zorg = users["zorg@kwint.demo"]
        now = timezone.now()
        ours = Handover.objects.filter(student__school=school)
        # Offered to the RMC with sharing consent, not yet decided: re-use two of those.
        waiting = ours.filter(
            status=Handover.Status.OFFERED, to_coach=None, to_organisation__kind=Organisation.Kind.RMC
        )
        if not ours.filter(status=Handover.Status.DECLINED).exists():
            handover = waiting.order_by("student__student_number").first()
            if handover is not None:
                handover.status = Handover.Status.DECLINED
                handover.decided_by = users["rmc@kwint.demo"]
                handover.decided_at = now - dt.timedelta(days=1)
                handover.decline_reason = "Woont net buiten onze regio; graag aanbieden aan de gemeente."
                handover.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
                timeline_add(
                    student=handover.student,
                    event="handover_declined",
                    data={"handover": str(handover.code), "organisation_name": handover.to_organisation.name},
                )
        if not ours.filter(status=Handover.Status.OFFERED, to_organisation=gemeente).exists():
            handover = waiting.order_by("-student__student_number").first()
            if handover is not None:  # sharing consent covers the gemeente too
                handover.to_organisation = gemeente
                handover.save(update_fields=["to_organisation"])
        if not ours.filter(status=Handover.Status.OFFERED, to_coach=doorwerk).exists():
            student = (
                Student.objects.filter(school=school, outcome=Outcome.DIPLOMA, handovers__isnull=True)
                .order_by("student_number")
                .first()
            )
            if student is not None:  # the school's own coach: no consent needed
                Handover.objects.create(
                    student=student,
                    created_by=zorg,
                    offered_by=zorg,
                    offered_at=now - dt.timedelta(days=2),
                    to_organisation=school,
                    to_coach=doorwerk,
                    status=Handover.Status.OFFERED,
                    what_works="Duidelijke afspraken en een vast aanspreekpunt.",
                    school_contacts="Mentor: mevr. De Boer",
                    own_words_wants="Ik wil een opleiding in de zorg gaan doen.",
                    own_words_needs="Hulp met geld regelen, ik heb een schuld bij mijn telefoonabonnement.",
                    support_needs=["education", "money"],
                    preferred_channel=Handover.Channel.WHATSAPP,
                )
                timeline_add(
                    student=student,
                    event="handover_offered",
                    actor=zorg,
                    data={"receiver": f"{doorwerk.full_name} ({school.name})"},
                )
