"""The dashboard's filters: read from the URL (shareable, bookmarkable), validated by a form."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Organisation
from students.models import Leerweg, Level, Student

# What a table row can stand for: (value in the URL, label, the student field grouped on).
GROUPS = {
    "school": (_("School"), "school__name"),
    "opleiding": (_("Opleiding (crebo)"), "crebo"),
    "niveau": (_("Niveau"), "level"),
    "leerweg": (_("Leerweg"), "leerweg"),
    "gemeente": (_("Gemeente"), "municipality__name"),
    "coachorganisatie": (_("Coachorganisatie"), "guiding_organisation__name"),
    "cohort": (_("Cohort"), "cohort"),
    # The national overview only.
    "regio": (_("Regio"), "region__name"),
}
QUARTERS = [(1, _("1e kwartaal")), (2, _("2e kwartaal")), (3, _("3e kwartaal")), (4, _("4e kwartaal"))]


def _cohort_choices() -> list[tuple[int, int]]:
    year = timezone.localdate().year
    return [(y, y) for y in range(year + 1, year - 7, -1)]


class DashboardFilterForm(forms.Form):
    """Every filter optional; a bad value is reported beside its field and otherwise ignored."""

    cohort = forms.TypedChoiceField(label=_("Cohort (diplomajaar)"), coerce=int, required=False, empty_value=None)
    kwartaal = forms.TypedChoiceField(
        label=_("Kwartaal van het diploma"), coerce=int, required=False, empty_value=None, choices=[]
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none(), required=False, to_field_name="code"
    )
    crebo = forms.RegexField(
        label=_("Crebocode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Een crebocode is vijf cijfers, bijvoorbeeld 25453.")},
    )
    niveau = forms.TypedChoiceField(label=_("Niveau"), coerce=int, required=False, empty_value=None, choices=[])
    leerweg = forms.ChoiceField(label=_("Leerweg"), required=False, choices=[])
    gemeente = forms.ModelChoiceField(
        label=_("Woongemeente"), queryset=Municipality.objects.none(), required=False, to_field_name="code"
    )
    coachorganisatie = forms.ModelChoiceField(
        label=_("Coachorganisatie"), queryset=Organisation.objects.none(), required=False, to_field_name="code"
    )
    per = forms.ChoiceField(label=_("Tabellen per"), required=False, choices=[])

    def __init__(self, data=None, *, region_ids: list[int] | None = None, school: Organisation | None = None):
        super().__init__(data)
        everything = _("Alle")
        self.fields["cohort"].choices = [("", everything), *_cohort_choices()]
        self.fields["kwartaal"].choices = [("", everything), *QUARTERS]
        self.fields["niveau"].choices = [("", everything), *Level.choices]
        self.fields["leerweg"].choices = [("", everything), *Leerweg.choices]
        self.fields["per"].choices = [(key, label) for key, (label, _field) in GROUPS.items() if key != "regio"]
        organisations = Organisation.objects.filter(region_id__in=region_ids or []).order_by("name")
        if school is not None:
            # A school's own dashboard: the school is fixed, there is nothing to choose.
            del self.fields["school"]
            del self.fields["coachorganisatie"]
        else:
            self.fields["school"].queryset = organisations.filter(kind=Organisation.Kind.SCHOOL)
            self.fields["coachorganisatie"].queryset = organisations.exclude(kind=Organisation.Kind.SCHOOL)
        self.fields["gemeente"].queryset = Municipality.objects.filter(region_id__in=region_ids or []).order_by("name")

    def cleaned(self) -> dict:
        """The valid filters (a field with an error counts as not set)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "") and k not in self.errors}

    @property
    def group(self) -> str:
        per = self.cleaned().get("per")
        return per if per in GROUPS else "school"


def apply_filters(students: QuerySet[Student], filters: dict) -> QuerySet[Student]:
    """The students matching the filters; `filters` as `DashboardFilterForm.cleaned`."""
    q = Q()
    if "cohort" in filters:
        q &= Q(cohort=filters["cohort"])
    if "kwartaal" in filters:
        q &= Q(outcome_date__quarter=filters["kwartaal"])
    if "school" in filters:
        q &= Q(school=filters["school"])
    if "crebo" in filters:
        q &= Q(crebo=filters["crebo"])
    if "niveau" in filters:
        q &= Q(level=filters["niveau"])
    if "leerweg" in filters:
        q &= Q(leerweg=filters["leerweg"])
    if "gemeente" in filters:
        q &= Q(municipality=filters["gemeente"])
    if "coachorganisatie" in filters:
        q &= Q(guiding_organisation=filters["coachorganisatie"])
    return students.filter(q)


def describe(form: DashboardFilterForm) -> list[tuple[str, str]]:
    """The filters as (label, value) pairs, for the page and the exported files."""
    filters = form.cleaned()
    out = []
    for name, value in filters.items():
        if name == "per":
            continue
        field = form.fields[name]
        if isinstance(field, forms.ModelChoiceField) or not hasattr(field, "choices"):
            shown = value
        else:
            shown = dict(field.choices).get(value, value)
        out.append((str(field.label), str(shown)))
    return out
