"""Forms: the young person's three screens, and the coach's settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from checkins.models import Activity, Moment, PlanSettings, Preference, WantsContact
from coaching.models import ContractType

MAX_HOURS = 60
MESSAGE_MAX = 1000


class ActivityForm(forms.Form):
    activity = forms.ChoiceField(
        label=_("Wat doe je nu?"),
        choices=Activity.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": _("Kies wat je nu doet."), "invalid_choice": _("Kies wat je nu doet.")},
    )
    activity_other = forms.CharField(
        label=_("Iets anders, namelijk"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Gebruik hier maximaal %(limit_value)d tekens.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("activity") == Activity.OTHER and not (data.get("activity_other") or "").strip():
            self.add_error("activity_other", _("Schrijf kort wat je doet."))
        return data


class DetailsForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Bij welke werkgever of school? (mag leeg blijven)"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Gebruik hier maximaal %(limit_value)d tekens.")},
    )
    hours_per_week = forms.IntegerField(
        label=_("Hoeveel uur per week?"),
        required=False,
        min_value=1,
        max_value=MAX_HOURS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Vul een heel aantal uren in, bijvoorbeeld 24."),
            "min_value": _("Vul een aantal uren van 1 tot en met %(limit_value)s in.") % {"limit_value": MAX_HOURS},
            "max_value": _("Vul een aantal uren van 1 tot en met %(limit_value)s in.") % {"limit_value": MAX_HOURS},
        },
    )
    contract_type = forms.ChoiceField(
        label=_("Wat voor contract heb je?"),
        required=False,
        choices=[("", _("Weet ik niet"))] + list(ContractType.choices),
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"invalid_choice": _("Kies een soort contract.")},
    )

    def __init__(self, *args, with_contract: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_contract:
            del self.fields["contract_type"]
            self.fields["organisation_name"].label = _("Welke school of cursus? (mag leeg blijven)")


class ContactForm(forms.Form):
    wants_contact = forms.ChoiceField(
        label=_("Wil je dat je coach contact met je opneemt?"),
        choices=WantsContact.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": _("Kies of je contact wilt."), "invalid_choice": _("Kies of je contact wilt.")},
    )
    moment = forms.ChoiceField(
        label=_("Wanneer komt het jou het best uit?"),
        choices=Moment.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"invalid_choice": _("Kies een moment.")},
    )
    message = forms.CharField(
        label=_("Wil je nog iets zeggen tegen je coach? (mag leeg blijven)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Je bericht is te lang: maximaal %(limit_value)d tekens.")},
    )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["mode", "paused_until", "channel", "language"]
        widgets = {"paused_until": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        if data.get("mode") == Preference.Mode.PAUSED and not data.get("paused_until"):
            self.add_error("paused_until", _("Vul in tot wanneer de check-ins gepauzeerd zijn."))
        return data


PLAN_LIMITS = {"overdue_days": (1, 60), "followups": (0, 3), "followup_days": (1, 14)}


class PlanSettingsForm(forms.ModelForm):
    class Meta:
        model = PlanSettings
        fields = ["at_measurements", "when_overdue", "overdue_days", "followups", "followup_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in PLAN_LIMITS.items():
            self.fields[name].widget.attrs.update({"min": low, "max": high})

    def clean(self):
        data = super().clean()
        for name, (low, high) in PLAN_LIMITS.items():
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(name, _("Kies een getal van %(low)s tot en met %(high)s.") % {"low": low, "high": high})
        return data
