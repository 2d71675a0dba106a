"""The student list's search, filters and sorting (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from students.models import Handover, Level
from students.models import Status as ConsentStatus

CONSENT_CHOICES = [*ConsentStatus.choices, ("none", _("Nog niet gevraagd"))]
HANDOVER_CHOICES = [*Handover.Status.choices, ("none", _("Nog geen overdracht"))]


class StudentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoek op naam, studentnummer of school"), method="search")
    cohort = django_filters.NumberFilter(label=_("Cohort"))
    programme = django_filters.ChoiceFilter(label=_("Opleiding"), field_name="programme_name", empty_label=_("Alle"))
    level = django_filters.ChoiceFilter(label=_("Niveau"), choices=Level.choices, empty_label=_("Alle"))
    class_name = django_filters.CharFilter(label=_("Klas"), method="by_class")
    diploma_month = django_filters.CharFilter(
        label=_("Verwachte diplomamaand"),
        method="by_month",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-07"}),
    )
    consent = django_filters.ChoiceFilter(
        label=_("Toestemming delen"), choices=CONSENT_CHOICES, method="by_consent", empty_label=_("Alle")
    )
    handover = django_filters.ChoiceFilter(
        label=_("Overdracht"), choices=HANDOVER_CHOICES, method="by_handover", empty_label=_("Alle")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sorteer op"),
        fields=(
            ("last_name", "naam"),
            ("student_number", "studentnummer"),
            ("cohort", "cohort"),
            ("programme_name", "opleiding"),
            ("level", "niveau"),
            ("expected_diploma_date", "diplomadatum"),
        ),
        field_labels={
            "last_name": _("Naam"),
            "student_number": _("Studentnummer"),
            "cohort": _("Cohort"),
            "programme_name": _("Opleiding"),
            "level": _("Niveau"),
            "expected_diploma_date": _("Verwachte diplomadatum"),
            # Spelled out: django-filter would build "… (descending)" once, at import, in the
            # language of that moment, so English readers got "Naam (aflopend)".
            "-naam": _("Naam (Z–A)"),
            "-studentnummer": _("Studentnummer (aflopend)"),
            "-cohort": _("Cohort (nieuwste eerst)"),
            "-opleiding": _("Opleiding (Z–A)"),
            "-niveau": _("Niveau (hoogste eerst)"),
            "-diplomadatum": _("Verwachte diplomadatum (laatste eerst)"),
        },
        empty_label=_("Naam"),
    )

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].extra["choices"] = [(p, p) for p in programmes]

    def search(self, queryset, name, value):
        # Accents and case ignored ("ozdil" finds "Özdil"); a school's name matches too, for the
        # coordinator whose list holds several schools.
        return queryset.search(value, schools=True)

    def by_class(self, queryset, name, value):
        return queryset.filter(class_name__iexact=value.strip())

    def by_month(self, queryset, name, value):
        try:
            year, month = (int(p) for p in value.split("-")[:2])
        except ValueError:
            return queryset.none()
        return queryset.filter(expected_diploma_date__year=year, expected_diploma_date__month=month)

    def by_consent(self, queryset, name, value):
        if value == "none":
            return queryset.filter(sharing_consent__isnull=True)
        return queryset.filter(sharing_consent=value)

    def by_handover(self, queryset, name, value):
        if value == "none":
            return queryset.filter(handover_state__isnull=True)
        return queryset.filter(handover_state=value)
