from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import CoachKind, Membership, Municipality, Organisation, Region, Role, User
from accounts.selectors import (
    is_global_beheerder,
    municipalities_managed_by,
    organisations_managed_by,
    regions_managed_by,
)
from kwint.lib.locking import VersionedFormMixin
from kwint.lib.text import normalize_text


class LoginForm(AuthenticationForm):
    """E-mail login. The error never says whether the account exists."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."
        ),
        "inactive": _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


# --- Beheer forms ------------------------------------------------------------------------------
# Querysets for choices come from the scope selectors: a beheerder can only pick the
# organisations and regions they manage, and a forged POST with another value is a field
# error ("Selecteer een geldige keuze"), never a write.

ACTIVE_CHOICES = [("", _("Alle")), ("1", _("Actief")), ("0", _("Niet actief"))]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("Alle soorten"))])
    region = forms.ModelChoiceField(
        label=_("Regio"), required=False, queryset=Region.objects.none(), empty_label=_("Alle regio's")
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alle soorten")), *Organisation.Kind.choices]
        self.fields["region"].queryset = regions_managed_by(membership).order_by("name")
        self.fields["region"].to_field_name = "code"


class OrganisationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "region", "municipality", "email"]
        labels = {
            "name": _("Naam"),
            "kind": _("Soort organisatie"),
            "region": _("Regio"),
            "municipality": _("Gemeente"),
            "email": _("Algemeen e-mailadres"),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_managed_by(membership).order_by("name")
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = None if regions.count() == 1 else "---------"
        self.fields["municipality"].queryset = (
            municipalities_managed_by(membership).select_related("region").order_by("name")
        )
        self.fields["municipality"].required = False

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        municipality = cleaned.get("municipality")
        if region and municipality and municipality.region_id != region.pk:
            self.add_error(
                "municipality",
                _("Gemeente %(gemeente)s hoort bij regio %(regio)s, niet bij %(gekozen)s.")
                % {"gemeente": municipality.name, "regio": municipality.region.name, "gekozen": region.name},
            )
        if cleaned.get("kind") == Organisation.Kind.GEMEENTE and not municipality:
            self.add_error("municipality", _("Kies bij een gemeente welke gemeente het is."))
        return cleaned


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "number"]
        labels = {"name": _("Naam"), "number": _("RMC-regionummer")}
        help_texts = {"number": _("Het nummer van de RMC-regio (1 tot en met 40).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"min": 1, "max": 99})
        self.fields["number"].validators += [MinValueValidator(1), MaxValueValidator(99)]


class MunicipalityForm(forms.ModelForm):
    cbs_code = forms.RegexField(
        label=_("CBS-code"),
        required=False,
        regex=r"^(?i:GM)\d{4}$",
        max_length=6,
        help_text=_("Bijvoorbeeld GM0193 voor Zwolle."),
        error_messages={"invalid": _("Een CBS-gemeentecode is GM gevolgd door vier cijfers, bijvoorbeeld GM0193.")},
    )

    class Meta:
        model = Municipality
        fields = ["name", "cbs_code", "region"]
        labels = {"name": _("Naam"), "region": _("Regio")}

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_managed_by(membership).order_by("name")
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = None
        if not is_global_beheerder(membership):
            # Moving a gemeente to another region changes that region's figures: the
            # landelijk beheerder does that, a regional beheerder only sees their own region.
            self.fields["region"].help_text = _(
                "Een gemeente naar een andere regio verplaatsen doet een landelijk beheerder."
            )
        else:
            self.fields["region"].help_text = _(
                "Verplaatst u de gemeente naar een andere regio, dan verhuizen de jongeren uit deze gemeente mee."
            )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam of e-mailadres"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), required=False, queryset=Organisation.objects.none(), empty_label=_("Alle organisaties")
    )
    role = forms.ChoiceField(label=_("Rol"), required=False, choices=[("", _("Alle rollen"))])
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_managed_by(membership).order_by("name")
        self.fields["organisation"].to_field_name = "code"
        self.fields["role"].choices = [("", _("Alle rollen")), *Role.choices]


def _membership_fields(membership: Membership) -> dict[str, forms.Field]:
    return {
        "organisation": forms.ModelChoiceField(
            label=_("Organisatie"),
            queryset=organisations_managed_by(membership).filter(is_active=True).order_by("name"),
        ),
        "role": forms.ChoiceField(label=_("Rol"), choices=[("", "---------"), *Role.choices]),
        "coach_kind": forms.ChoiceField(
            label=_("Soort coach"),
            required=False,
            choices=[("", _("(geen)")), *CoachKind.choices],
            help_text=_("Alleen voor coaches en stagiairs."),
        ),
        "capacity": forms.IntegerField(
            label=_("Capaciteit (aantal jongeren)"),
            required=False,
            min_value=1,
            max_value=500,
            help_text=_("Hoeveel jongeren deze coach kan begeleiden, bijvoorbeeld 20 voor een halve dag per week."),
        ),
    }


def _clean_membership_fields(form: forms.Form, cleaned: dict) -> None:
    role = cleaned.get("role")
    if role and role not in {Role.COACH, Role.STAGIAIR}:
        if cleaned.get("coach_kind"):
            form.add_error("coach_kind", _("Een soort coach geldt alleen voor de rollen coach en stagiair."))
        if cleaned.get("capacity"):
            form.add_error("capacity", _("Capaciteit geldt alleen voor de rollen coach en stagiair."))
    if role == Role.COACH and not cleaned.get("coach_kind"):
        form.add_error("coach_kind", _("Kies wat voor coach deze persoon is."))


def clean_person_name(value: str | None) -> str:
    """A person's name in Kwint's one normal form (kwint.lib.text); never only invisible characters."""
    name = normalize_text(value)
    if not name:
        raise forms.ValidationError(_("Vul de naam in."), code="required")
    return name


class UserInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Volledige naam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"), help_text=_("Hierheen sturen we de link om een wachtwoord in te stellen.")
    )
    phone = forms.CharField(label=_("Telefoon"), max_length=20, required=False)
    language = forms.ChoiceField(label=_("Taal"), choices=User._meta.get_field("language").choices, initial="nl")

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_membership_fields(membership))

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data.get("full_name"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "Er bestaat al een account met dit e-mailadres. Staat deze persoon in uw lijst met "
                    "gebruikers, voeg daar dan een rol toe; anders kan een landelijk beheerder dat doen."
                )
            )
        return email

    def clean(self):
        cleaned = super().clean()
        _clean_membership_fields(self, cleaned)
        return cleaned


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "language"]
        labels = {
            "full_name": _("Volledige naam"),
            "email": _("E-mailadres"),
            "phone": _("Telefoon"),
            "language": _("Taal"),
        }

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data.get("full_name"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Er bestaat al een account met dit e-mailadres."))
        return email


class MembershipForm(forms.Form):
    """Add a role to a user, or (with `instance`) change one; the organisation of an existing
    role is fixed: moving someone to another organisation is ending one role and adding one."""

    def __init__(self, *args, membership: Membership, user: User, instance: Membership | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organisation": instance.organisation,
                    "role": instance.role,
                    "coach_kind": instance.coach_kind,
                    "capacity": instance.capacity,
                },
            )
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance = instance
        self.fields.update(_membership_fields(membership))
        if instance is not None:
            self.fields["organisation"].disabled = True
            self.fields["organisation"].queryset = Organisation.objects.filter(pk=instance.organisation_id)

    def clean(self):
        cleaned = super().clean()
        _clean_membership_fields(self, cleaned)
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation and role:
            duplicates = Membership.objects.filter(user=self.user, organisation=organisation, role=role)
            if self.instance is not None:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                self.add_error("role", _("Deze gebruiker heeft deze rol al bij deze organisatie."))
        return cleaned
