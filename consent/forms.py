"""Forms for consent: answers at the table, withdrawal, the young person's link, texts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consent.models import ConsentRecord, ConsentText, Purpose, Status
from consent.selectors import needs_representative
from consent.services import representative_check
from kwint.lib.locking import VersionedFormMixin
from kwint.lib.text import normalize_text

NOT_ASKED = "not_asked"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def text_title(text: ConsentText) -> str:
    return text.title_en if get_language() == "en" and text.title_en else text.title_nl


def text_body(text: ConsentText) -> str:
    return text.body_en if get_language() == "en" and text.body_en else text.body_nl


class AnswerFieldsMixin:
    """One required radio group per purpose with a text: nothing pre-selected (AVG art. 7)."""

    answer_choices: list = []

    def add_answer_fields(self, texts: dict[str, ConsentText]) -> None:
        self.texts = texts
        for purpose, text in texts.items():
            self.fields[f"answer_{purpose}"] = forms.ChoiceField(
                label=f"{Purpose(purpose).label}",
                choices=self.answer_choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                required=True,
                error_messages={"required": _("Kies een antwoord voor dit doel.")},
            )
            self.fields[f"answer_{purpose}"].consent_text = text

    def answer_fields(self):
        return [self[f"answer_{p}"] for p in self.texts]

    def answers(self) -> dict[str, str]:
        return {
            p: self.cleaned_data[f"answer_{p}"]
            for p in self.texts
            if self.cleaned_data.get(f"answer_{p}") in {Status.GIVEN, Status.REFUSED}
        }


class RecordForm(AnswerFieldsMixin, forms.Form):
    """Answers recorded by staff at the diploma table, by phone or in a conversation."""

    answer_choices = [
        (Status.GIVEN, _("Toestemming gegeven")),
        (Status.REFUSED, _("Geweigerd")),
        (NOT_ASKED, _("Niet gevraagd")),
    ]

    method = forms.ChoiceField(
        label=_("Hoe is het antwoord gegeven?"),
        choices=ConsentRecord.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het antwoord is gegeven.")},
    )
    answered_at = forms.DateTimeField(
        label=_("Wanneer"),
        input_formats=[DATETIME_LOCAL, "%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={
            "required": _("Vul in wanneer het antwoord is gegeven."),
            "invalid": _("Geen geldige datum en tijd."),
        },
    )
    given_by = forms.ChoiceField(
        label=_("Wie gaf het antwoord?"), choices=ConsentRecord.GivenBy.choices, initial=ConsentRecord.GivenBy.STUDENT
    )
    representative_name = forms.CharField(
        label=_("Naam ouder / voogd"),
        max_length=150,
        required=False,
        help_text=_("Verplicht als een ouder of voogd antwoordt (altijd onder de 16 jaar)."),
    )
    note = forms.CharField(label=_("Toelichting (optioneel)"), max_length=300, required=False)

    def __init__(self, *args, student, texts: dict[str, ConsentText], **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        self.add_answer_fields(texts)
        self.fields["answered_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        if needs_representative(student, timezone.localdate()):
            self.fields["given_by"].initial = ConsentRecord.GivenBy.PARENT

    def clean_representative_name(self):
        return normalize_text(self.cleaned_data.get("representative_name"))

    def clean_answered_at(self):
        value = self.cleaned_data["answered_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError(_("Het moment van het antwoord ligt in de toekomst."))
        return value

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not self.answers():
            raise ValidationError(_("Kies bij minstens één doel 'toestemming gegeven' of 'geweigerd'."))
        try:
            representative_check(
                student=self.student,
                answered_at=cleaned["answered_at"],
                given_by=cleaned["given_by"],
                representative_name=cleaned.get("representative_name", ""),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class WithdrawForm(forms.Form):
    """Withdrawal recorded by staff on the young person's behalf: re-confirmed."""

    purposes = forms.MultipleChoiceField(
        label=_("Welke toestemming trekt de jongere in?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één doel.")},
    )
    method = forms.ChoiceField(
        label=_("Hoe heeft de jongere dit gevraagd?"),
        choices=ConsentRecord.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe de jongere dit heeft gevraagd.")},
    )
    note = forms.CharField(label=_("Toelichting (optioneel)"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=_("Ik bevestig dat de jongere (of de ouder / voogd) dit zelf heeft gevraagd."),
        error_messages={"required": _("Bevestig dat de jongere dit zelf heeft gevraagd.")},
    )

    def __init__(self, *args, given: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = [(p, Purpose(p).label) for p in given]


class PublicAnswerForm(AnswerFieldsMixin, forms.Form):
    """The young person's own answers on their phone (or a parent's, under 16)."""

    answer_choices = [(Status.GIVEN, _("Ja, dat mag")), (Status.REFUSED, _("Nee, liever niet"))]

    def __init__(self, *args, texts: dict[str, ConsentText], representative_name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if representative_name is not None:
            # Who answers is part of the proof: the parent confirms (or corrects) their name.
            self.fields["representative_name"] = forms.CharField(
                label=_("Uw naam"),
                max_length=150,
                initial=representative_name,
                error_messages={"required": _("Vul uw naam in.")},
            )
        self.add_answer_fields(texts)
        for field in self.answer_fields():
            field.field.label = text_title(field.field.consent_text)

    def clean_representative_name(self):
        return normalize_text(self.cleaned_data.get("representative_name"))


class PublicWithdrawForm(forms.Form):
    purposes = forms.MultipleChoiceField(
        label=_("Waarvoor trek je je toestemming in?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één onderdeel.")},
    )

    def __init__(self, *args, given: dict[str, ConsentText | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = [
            (p, text_title(t) if t is not None else Purpose(p).label) for p, t in given.items()
        ]


class NewLinkForm(forms.Form):
    """ "Stuur me een nieuwe link": the young person's e-mail address or mobile number."""

    address = forms.CharField(
        label=_("Je e-mailadres of mobiele nummer"),
        max_length=254,
        help_text=_("Het adres of nummer dat je school of coach van je heeft."),
        error_messages={"required": _("Vul je e-mailadres of mobiele nummer in.")},
    )

    def clean_address(self):
        from django.core.validators import validate_email

        value = normalize_text(self.cleaned_data["address"]).strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(_("Dit is geen geldig e-mailadres.")) from None
            return value.lower()
        digits = "".join(ch for ch in value if ch.isdigit())
        if not (10 <= len(digits) <= 13) or any(ch not in "0123456789 +-()" for ch in value):
            raise ValidationError(_("Vul een e-mailadres in, of een mobiel nummer zoals 06-12345678."))
        return value


SHOW = "show"
SEND = "send"


class LinkForm(forms.Form):
    """ "Link maken": show the link (to read out, or to send oneself) or send it by e-mail after
    a preview. Under 16 the link is for a parent or guardian: their name, how they relate to
    the young person, and optionally an e-mail address (not stored: used to send only)."""

    delivery = forms.ChoiceField(
        label=_("Hoe krijgt de ontvanger de link?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of u de link laat zien of verstuurt.")},
    )

    def __init__(self, *args, student, for_representative: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        self.for_representative = for_representative
        choices = [(SHOW, _("Laten zien: een QR-code en de link, om voor te lezen of zelf te sturen"))]
        if for_representative:
            self.fields["given_by"] = forms.ChoiceField(
                label=_("Wie antwoordt?"),
                choices=[c for c in ConsentRecord.GivenBy.choices if c[0] != ConsentRecord.GivenBy.STUDENT],
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies ouder of voogd.")},
            )
            self.fields["representative_name"] = forms.CharField(
                label=_("Naam ouder / voogd"),
                max_length=150,
                error_messages={"required": _("Vul de naam van de ouder of voogd in.")},
            )
            self.fields["email"] = forms.EmailField(
                label=_("E-mailadres ouder / voogd (optioneel)"),
                required=False,
                help_text=_("Alleen om de link te versturen; Kwint bewaart het niet."),
                error_messages={"invalid": _("Dit is geen geldig e-mailadres.")},
            )
            choices.append((SEND, _("Versturen per e-mail naar de ouder of voogd, na een voorbeeld van het bericht")))
            self.order_fields(["given_by", "representative_name", "email", "delivery"])
        elif student.email:
            choices.append(
                (
                    SEND,
                    _("Versturen per e-mail naar %(email)s, na een voorbeeld van het bericht")
                    % {"email": student.email},
                )
            )
        self.fields["delivery"].choices = choices

    def clean_representative_name(self):
        return normalize_text(self.cleaned_data.get("representative_name"))

    def clean(self):
        cleaned = super().clean()
        if self.for_representative and cleaned.get("delivery") == SEND and not cleaned.get("email"):
            self.add_error("email", _("Vul het e-mailadres van de ouder of voogd in om de link te versturen."))
        return cleaned

    @property
    def recipient(self) -> str:
        return self.cleaned_data.get("email", "") if self.for_representative else self.student.email

    @property
    def who(self) -> dict:
        if not self.for_representative:
            return {}
        return {
            "given_by": self.cleaned_data["given_by"],
            "representative_name": self.cleaned_data["representative_name"],
        }


class ConsentTextForm(VersionedFormMixin, forms.ModelForm):
    """A new version of a text. Purpose and school are chosen once; a draft can change its
    wording until it is published."""

    class Meta:
        model = ConsentText
        fields = ["purpose", "school", "title_nl", "body_nl", "title_en", "body_en", "effective_from"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body_nl": forms.Textarea(attrs={"rows": 6}),
            "body_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "body_nl": _("Schrijf in eenvoudig Nederlands (B1): korte zinnen, geen vaktaal."),
            "school": _(
                "Leeg: de tekst geldt voor de hele regio. Kies een school voor een eigen tekst van die school."
            ),
        }

    def __init__(self, *args, schools, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = _("Hele regio")
        self.fields["effective_from"].input_formats = ["%Y-%m-%d", "%d-%m-%Y"]
        for name in ("title_nl", "body_nl", "title_en", "body_en", "effective_from", "purpose"):
            self.fields[name].error_messages["required"] = _("Dit veld is verplicht.")
        if editing:
            del self.fields["purpose"]
            del self.fields["school"]
