"""Forms for coaching. Dutch field-level errors; the services re-check what matters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import STAFF_CHANNELS, Benefit, CloseReason, ContractType, SituationKind, SupportAction
from students.validators import NOTE_MAX_LENGTH, validate_not_future

YES_NO = [("1", _("Ja, bereikt")), ("0", _("Nee, niet bereikt"))]


class SituationFieldsMixin(forms.Form):
    """The situation fields, shared by the contact form (optional) and the close form."""

    situation_required = False

    situation_kind = forms.ChoiceField(label=_("Situatie"), required=False)
    contract_type = forms.ChoiceField(
        label=_("Soort contract"), required=False, choices=[("", "—"), *ContractType.choices]
    )
    hours_per_week = forms.IntegerField(label=_("Uren per week"), required=False, min_value=0, max_value=60)
    sector = forms.CharField(label=_("Sector"), required=False, max_length=100)
    employer = forms.CharField(label=_("Werkgever"), required=False, max_length=200)
    education_name = forms.CharField(label=_("Welke opleiding"), required=False, max_length=200)
    benefit = forms.ChoiceField(label=_("Uitkering"), required=False, choices=[("", "—"), *Benefit.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = _("Kies de situatie") if self.situation_required else _("Geen wijziging")
        self.fields["situation_kind"].choices = [("", blank), *SituationKind.choices]
        self.fields["situation_kind"].required = self.situation_required

    def clean(self):
        data = super().clean()
        kind = data.get("situation_kind")
        if kind in {SituationKind.WORK, SituationKind.WORK_BENEFIT} and not data.get("contract_type"):
            self.add_error("contract_type", _("Kies het soort contract."))
        if kind in {SituationKind.BENEFIT, SituationKind.WORK_BENEFIT} and not data.get("benefit"):
            self.add_error("benefit", _("Kies de uitkering."))
        if kind == SituationKind.EDUCATION and not data.get("education_name"):
            self.add_error("education_name", _("Vul in welke opleiding."))
        return data

    def situation_data(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("situation_kind"):
            return None
        kind = data["situation_kind"]
        works = kind in {SituationKind.WORK, SituationKind.WORK_BENEFIT}
        return {
            "kind": kind,
            "contract_type": data.get("contract_type", "") if works else "",
            "hours_per_week": data.get("hours_per_week") if works else None,
            "sector": data.get("sector", "") if works else "",
            "employer": data.get("employer", "") if works else "",
            "education_name": data.get("education_name", "") if kind == SituationKind.EDUCATION else "",
            "benefit": data.get("benefit", "") if kind in {SituationKind.BENEFIT, SituationKind.WORK_BENEFIT} else "",
        }


NOTE_TOO_LONG = _("Maak de notitie korter: maximaal %(limit_value)s tekens, nu %(show_value)s.")


def note_field(label, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        error_messages={"max_length": NOTE_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def channel_field() -> forms.ChoiceField:
    # No channel chosen in advance: a default "telefoon" turned every untouched form into a
    # phone call in the figures.
    return forms.ChoiceField(
        label=_("Kanaal"),
        choices=[("", _("Kies het kanaal")), *STAFF_CHANNELS],
        error_messages={"required": _("Kies hoe het contact was.")},
    )


def reached_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Bereikt?"),
        choices=YES_NO,
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of je de jongere hebt bereikt.")},
    )


class ContactForm(SituationFieldsMixin):
    """Ordered as the coach fills it in after a call: when, how, reached, what was said; the
    situation and an offer only when there is one. A native date and a time field: two Tab
    stops, where a datetime-local took seven."""

    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Tijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    channel = channel_field()
    reached = reached_field()
    by_student = forms.BooleanField(
        label=_("De jongere nam zelf contact op"),
        required=False,
        help_text=_("Alleen dit contact kan worden vastgelegd als de jongere geen contact wil."),
    )
    duration_minutes = forms.IntegerField(label=_("Duur (minuten)"), required=False, min_value=0, max_value=600)
    discussed = note_field(_("Wat is besproken"), 3)
    next_steps = note_field(_("Afspraken / vervolgstappen"), 2)
    support_kind = forms.ChoiceField(
        label=_("Begeleidingsaanbod toevoegen"), required=False, choices=[("", "—"), *SupportAction.Kind.choices]
    )
    support_note = forms.CharField(label=_("Toelichting aanbod"), required=False, max_length=500)

    field_order = ["date", "time", "channel", "reached", "duration_minutes", "discussed", "next_steps"]
    SITUATION_FIELDS = (
        "situation_kind",
        "contract_type",
        "hours_per_week",
        "sector",
        "employer",
        "education_name",
        "benefit",
        "support_kind",
        "support_note",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("time", now.time())

    @property
    def extra_open(self) -> bool:
        """Show the situation and offer fields opened: they hold an error or a value."""
        return self.is_bound and any(name in self.errors or self.data.get(name) for name in self.SITUATION_FIELDS)

    def _clean_at(self, data) -> None:
        if data.get("date") is None or data.get("time") is None:
            return
        at = timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))
        now = timezone.now()
        try:
            validate_not_future(at, now)  # the one rule for dates (students.validators)
        except forms.ValidationError as error:
            self.add_error("date", error)
            return
        if at < now - dt.timedelta(days=365):
            self.add_error("date", _("Dit tijdstip ligt meer dan een jaar terug."))
            return
        data["at"] = at

    def clean(self):
        data = super().clean()
        self._clean_at(data)
        if data.get("support_note") and not data.get("support_kind"):
            self.add_error("support_kind", _("Kies het soort aanbod bij de toelichting."))
        return data

    def support_specs(self) -> list[dict]:
        kind = self.cleaned_data.get("support_kind")
        if not kind:
            return []
        return [
            {"kind": kind, "status": SupportAction.Status.PLANNED, "note": self.cleaned_data.get("support_note", "")}
        ]


class ContactEditForm(forms.Form):
    channel = channel_field()
    reached = reached_field()
    duration_minutes = forms.IntegerField(label=_("Duur (minuten)"), required=False, min_value=0, max_value=600)
    discussed = note_field(_("Wat is besproken"), 3)
    next_steps = note_field(_("Afspraken / vervolgstappen"), 2)


class CloseForm(SituationFieldsMixin):
    situation_required = True

    reason = forms.ChoiceField(
        label=_("Reden van afsluiten"),
        choices=[c for c in CloseReason.choices if c[0] != CloseReason.ERASED],
        widget=forms.RadioSelect,
    )


class CheckInDateForm(forms.Form):
    due_date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class PlanForm(forms.Form):
    plan = forms.ChoiceField(label=_("Contactplan"))

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {str(p.code): p for p in plans}
        self.fields["plan"].choices = [(str(p.code), p.name) for p in plans]

    def clean_plan(self):
        return self.plans[self.cleaned_data["plan"]]


class SupportStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SupportAction.Status.choices)


class MembershipChoiceForm(forms.Form):
    """Pick a coach (or stagiair) of the organisation by membership code."""

    membership = forms.ChoiceField(label=_("Coach"))

    def __init__(self, *args, memberships, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.code): m for m in memberships}
        self.fields["membership"].choices = [("", "—")] + [(str(m.code), m.user.full_name) for m in memberships]
        if label:
            self.fields["membership"].label = label

    def clean_membership(self):
        code = self.cleaned_data["membership"]
        if code not in self.memberships:
            raise forms.ValidationError(_("Kies iemand uit de lijst."))
        return self.memberships[code]
