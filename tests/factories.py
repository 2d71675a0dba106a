"""factory_boy factories for every model the tests touch."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Membership, Municipality, Organisation, Region, Role, User
from consent.models import ConsentRecord, ConsentText, Purpose, Status
from students.models import Handover, Outcome, Student

PASSWORD = "correct-horse-battery-staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Regio {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.SCHOOL
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@kwint.test")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COACH


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = dt.date(2006, 5, 17)
    school = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda o: o.school.region)
    student_number = factory.Sequence(lambda n: f"S{n:06d}")
    programme_name = "Medewerker logistiek"
    crebo = "25453"
    level = 2
    leerweg = "BOL"
    cohort = 2026
    expected_diploma_date = dt.date(2026, 7, 1)
    outcome = Outcome.DIPLOMA
    outcome_date = dt.date(2026, 7, 1)


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText

    purpose = Purpose.SHARING
    region = factory.SubFactory(RegionFactory)
    version = factory.Sequence(lambda n: n + 1)
    title_nl = "Delen met RMC en gemeente"
    body_nl = "Je school deelt je gegevens met het RMC en je gemeente."
    title_en = "Sharing with RMC and municipality"
    body_en = "Your school shares your data with RMC and your municipality."
    effective_from = dt.date(2026, 1, 1)
    published_at = factory.LazyFunction(timezone.now)


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handover

    student = factory.SubFactory(StudentFactory)
    status = Handover.Status.DRAFT


def give_consent(student, purpose=Purpose.SHARING, status=Status.GIVEN, by=None):
    """Record consent through the real service, as the app does."""
    from consent.services import consent_record

    text = ConsentText.objects.filter(region=student.region, purpose=purpose).first() or ConsentTextFactory(
        region=student.region, purpose=purpose
    )
    return consent_record(
        student=student, purpose=purpose, status=status, method=ConsentRecord.Method.PAPER, text=text, recorded_by=by
    )
