"""Forms for coaching. Dutch field-level errors; the services re-check what matters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import STAFF_CHANNELS, Benefit, Channel, CloseReason, ContractType, SituationKind, SupportAction
from students.validators import validate_not_future

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


class ContactForm(SituationFieldsMixin):
    at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(label=_("Kanaal"), choices=STAFF_CHANNELS, initial=Channel.PHONE)
    reached = forms.TypedChoiceField(
        label=_("Bereikt?"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1"
    )
    duration_minutes = forms.IntegerField(label=_("Duur (minuten)"), required=False, min_value=0, max_value=600)
    discussed = forms.CharField(label=_("Wat is besproken"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Afspraken / vervolgstappen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    support_kind = forms.ChoiceField(
        label=_("Begeleidingsaanbod toevoegen"), required=False, choices=[("", "—"), *SupportAction.Kind.choices]
    )
    support_note = forms.CharField(label=_("Toelichting aanbod"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_at(self):
        at = self.cleaned_data["at"]
        now = timezone.now()
        validate_not_future(at, now)  # the one rule for dates (students.validators)
        if at < now - dt.timedelta(days=365):
            raise forms.ValidationError(_("Dit tijdstip ligt meer dan een jaar terug."))
        return at

    def clean(self):
        data = super().clean()
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
    channel = forms.ChoiceField(label=_("Kanaal"), choices=STAFF_CHANNELS)
    reached = forms.TypedChoiceField(
        label=_("Bereikt?"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    duration_minutes = forms.IntegerField(label=_("Duur (minuten)"), required=False, min_value=0, max_value=600)
    discussed = forms.CharField(label=_("Wat is besproken"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Afspraken / vervolgstappen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


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
