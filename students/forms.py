"""Forms of the students app. Cleaning of phones, postcodes, dates lives in `students.parsing`,
shared with the import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from kwint.lib.locking import VersionedFormMixin
from kwint.lib.text import normalize_text
from students import parsing, validators
from students.import_fields import FIELDS
from students.models import Handover, Student, SupportNeed
from students.services import EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StudentForm(VersionedFormMixin, forms.ModelForm):
    support_needs = forms.MultipleChoiceField(
        label=_("Ondersteuningsbehoefte"),
        choices=SupportNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen grove signalen, nooit diagnoses."),
    )

    class Meta:
        model = Student
        fields = EDITABLE_FIELDS
        widgets = {
            "date_of_birth": DateInput(),
            "expected_diploma_date": DateInput(),
            "outcome_date": DateInput(),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }

    # The bounds of students.validators, the same as the import's; a value that was already on
    # the record is not refused again (a student who has since turned 31 can still be edited).
    BOUNDED = {
        "date_of_birth": validators.validate_birth_date,
        "expected_diploma_date": validators.validate_diploma_date,
        "outcome_date": validators.validate_diploma_date,
        "cohort": validators.validate_cohort,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.select_related("region")
        self.fields["first_name"].help_text = _("Precies zoals de jongere het schrijft, met accenten.")
        # The browser's date picker offers only possible dates (the server checks regardless).
        born_min, born_max = validators.birth_date_bounds()
        diploma_min, diploma_max = validators.diploma_date_bounds()
        cohort_min, cohort_max = validators.cohort_bounds()
        for name, low, high in (
            ("date_of_birth", born_min, born_max),
            ("expected_diploma_date", diploma_min, diploma_max),
            ("outcome_date", diploma_min, diploma_max),
        ):
            self.fields[name].widget.attrs.update(min=low.isoformat(), max=high.isoformat())
        self.fields["cohort"].widget.attrs.update(min=cohort_min, max=cohort_max)

    def _clean_bounded(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and value != getattr(self.instance, name, None):
            self.BOUNDED[name](value)
        return value

    def clean_date_of_birth(self):
        return self._clean_bounded("date_of_birth")

    def clean_expected_diploma_date(self):
        return self._clean_bounded("expected_diploma_date")

    def clean_outcome_date(self):
        return self._clean_bounded("outcome_date")

    def clean_cohort(self):
        return self._clean_bounded("cohort")

    def _clean_text(self, name: str) -> str:
        value = normalize_text(self.cleaned_data.get(name))
        if not value and self.fields[name].required:  # only invisible characters were typed
            raise ValidationError(self.fields[name].error_messages["required"], code="required")
        return value

    def clean_first_name(self):
        return self._clean_text("first_name")

    def clean_roepnaam(self):
        return self._clean_text("roepnaam")

    def clean_tussenvoegsel(self):
        return self._clean_text("tussenvoegsel")

    def clean_last_name(self):
        return self._clean_text("last_name")

    def clean_woonplaats(self):
        return self._clean_text("woonplaats")

    def clean_location(self):
        return self._clean_text("location")

    def clean_programme_name(self):
        return self._clean_text("programme_name")

    def clean_sector(self):
        return self._clean_text("sector")

    def clean_class_name(self):
        return self._clean_text("class_name")

    def clean_phone(self):
        return parsing.clean_phone(self.cleaned_data.get("phone", ""))

    def clean_postcode(self):
        return parsing.clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_crebo(self):
        return parsing.clean_crebo(self.cleaned_data.get("crebo", ""))

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").lower()

    def clean_student_number(self):
        number = normalize_text(self.cleaned_data.get("student_number"))
        school = self.instance.school if self.instance.school_id else None
        if number and school is not None:
            clash = Student.objects.filter(school=school, student_number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(_("Er is al een student met dit studentnummer op deze school."))
        return number

    def clean(self):
        data = super().clean()
        if data.get("outcome") in {"diploma", "left"} and not data.get("outcome_date"):
            self.add_error("outcome_date", _("Vul de datum van diploma of uitstroom in."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een CSV- of Excel-bestand (.csv of .xlsx) uit de studentenadministratie, met kopregel."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KWINT_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Het bestand is groter dan %(mb)s MB.") % {"mb": settings.KWINT_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class MappingForm(forms.Form):
    """One select per student field: which column feeds it (or none)."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— niet importeren —")), *((h, h) for h in headers)]
        for spec in FIELDS:
            self.fields[spec.name] = forms.ChoiceField(
                label=spec.label,
                choices=choices,
                required=spec.required,
                error_messages={"required": _("Kies de kolom voor %(field)s.") % {"field": spec.label}},
            )

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for spec in FIELDS:
            header = data.get(spec.name)
            if header:
                if header in seen:
                    self.add_error(
                        spec.name, _("Kolom '%(h)s' is al gekozen voor %(f)s.") % {"h": header, "f": seen[header]}
                    )
                seen[header] = str(spec.label)
        return data

    @property
    def mapping(self) -> dict[str, str]:
        return {name: header for name, header in self.cleaned_data.items() if header}


class HandoverForm(VersionedFormMixin, forms.ModelForm):
    support_needs = forms.MultipleChoiceField(
        label=_("Ondersteuningsbehoefte"),
        choices=SupportNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen grove categorieën: geen diagnoses of medische details."),
    )

    class Meta:
        model = Handover
        fields = [
            "own_words_wants",
            "own_words_needs",
            "what_works",
            "school_contacts",
            "support_needs",
            "risks",
            "preferred_channel",
        ]
        widgets = {
            "what_works": forms.Textarea(attrs={"rows": 3}),
            "school_contacts": forms.Textarea(attrs={"rows": 2}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "own_words_wants": forms.Textarea(attrs={"rows": 3}),
            "own_words_needs": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "own_words_wants": _("Schrijf op wat de jongere zelf zegt, in de eigen woorden."),
            "risks": _("Bijvoorbeeld schulden, wonen, taal. Geen diagnoses."),
        }

    NOTE_FIELDS = ("own_words_wants", "own_words_needs", "what_works", "school_contacts", "risks")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same bound as a contact note (students.validators), with its Dutch message.
        for name in self.NOTE_FIELDS:
            self.fields[name].validators.append(validators.validate_note_length)


class OfferForm(forms.Form):
    """Choose who receives: an organisation, or a named coach of one."""

    receiver = forms.ChoiceField(label=_("Aanbieden aan"))

    def __init__(self, *args, organisations, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.code): o for o in organisations}
        self.coaches = {str(m.code): m for m in coaches}
        org_choices = [(f"org:{code}", f"{o.name} ({o.get_kind_display()})") for code, o in self.organisations.items()]
        coach_choices = [
            (
                f"coach:{code}",
                f"{m.user.full_name} · {m.get_coach_kind_display() or m.get_role_display()} · {m.organisation.name}",
            )
            for code, m in self.coaches.items()
        ]
        self.fields["receiver"].choices = [
            ("", _("— kies —")),
            (_("Organisatie"), org_choices),
            (_("Een coach bij naam"), coach_choices),
        ]

    def receiver_parts(self):
        """(organisation, coach user or None) for the chosen receiver."""
        kind, _sep, code = self.cleaned_data["receiver"].partition(":")
        if kind == "coach":
            membership = self.coaches[code]
            return membership.organisation, membership.user
        return self.organisations[code], None


class BulkOfferForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Aanbieden aan organisatie"))
    students = forms.CharField(required=False)  # replaced by the checkbox list in the view

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.code): o for o in organisations}
        self.fields["organisation"].choices = [
            ("", _("— kies —")),
            *((code, f"{o.name} ({o.get_kind_display()})") for code, o in self.organisations.items()),
        ]


class AcceptForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach die de jongere gaat begeleiden"), queryset=Membership.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Show each coach's caseload against capacity, so the coordinator picks one with room.
        caseload = Q(user__caseload__guiding_organisation=organisation, user__caseload__erased_at__isnull=True)
        self.fields["coach"].queryset = (
            Membership.objects.filter(organisation=organisation, role=Role.COACH, is_active=True, user__is_active=True)
            .select_related("user")
            .annotate(load=Count("user__caseload", filter=caseload))
            .order_by("user__full_name")
        )
        self.fields["coach"].label_from_instance = _coach_label


def _coach_label(membership) -> str:
    if membership.capacity:
        return _("%(name)s (%(load)s van %(capacity)s jongeren)") % {
            "name": membership.user.full_name,
            "load": membership.load,
            "capacity": membership.capacity,
        }
    return _("%(name)s (%(load)s jongeren)") % {"name": membership.user.full_name, "load": membership.load}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("De school ziet deze reden en kan de overdracht dan ergens anders aanbieden."),
    )
