"""The beheerder's consent texts: versions per purpose, drafts, publishing (which freezes)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from consent.forms import ConsentTextForm
from consent.models import ConsentText, Purpose
from consent.selectors import schools_for_beheerder, texts_for_beheerder
from consent.services import ConsentTextFrozen, consent_text_create, consent_text_publish, consent_text_update
from kwint.lib.access import role_required
from kwint.lib.locking import StaleVersion, conflict_form


def _text_for(request, code) -> ConsentText:
    """A text in the beheerder's region (their own texts and those of the region's schools)."""
    text = texts_for_beheerder(request.membership).filter(code=code).first()
    if text is None:
        raise Http404
    return text


@require_GET
@role_required(Role.BEHEERDER)
def text_list(request):
    texts = (
        texts_for_beheerder(request.membership)
        .select_related("created_by")
        .order_by("purpose", "school__name", "-version")
    )
    today = timezone.localdate()
    groups = []
    for purpose in Purpose:
        versions = [t for t in texts if t.purpose == purpose.value]
        in_force = {}
        for t in versions:
            if t.is_published and t.effective_from <= today:
                in_force.setdefault(t.school_id, t.pk)
        groups.append({"purpose": purpose, "versions": versions, "in_force": set(in_force.values())})
    return render(
        request, "consent/texts/list.html", {"groups": groups, "region": request.membership.organisation.region}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def text_create(request):
    """A new version. `?van=<code>` prefills it from an earlier version (the way to change a
    published text)."""
    membership = request.membership
    schools = schools_for_beheerder(membership)
    initial = {"effective_from": timezone.localdate()}
    source_code = request.GET.get("van")
    if source_code:
        try:
            source = texts_for_beheerder(membership).filter(code=uuid.UUID(source_code)).first()
        except ValueError:  # a malformed code is simply "no source"
            source = None
        if source is not None:
            initial.update(
                {f: getattr(source, f) for f in ("purpose", "title_nl", "body_nl", "title_en", "body_en")}
                | {"school": source.school_id}
            )
    elif request.GET.get("doel") in Purpose.values:
        initial["purpose"] = request.GET["doel"]
    form = ConsentTextForm(request.POST if request.method == "POST" else None, initial=initial, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = consent_text_create(
            region=membership.organisation.region,
            school=data["school"],
            purpose=data["purpose"],
            title_nl=data["title_nl"],
            body_nl=data["body_nl"],
            title_en=data["title_en"],
            body_en=data["body_en"],
            effective_from=data["effective_from"],
            created_by=request.user,
        )
        messages.success(request, _("Concept opgeslagen. Controleer het en publiceer het daarna."))
        return redirect("consent:text_detail", text.code)
    return render(request, "consent/texts/form.html", {"form": form, "text": None})


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def text_edit(request, code):
    text = _text_for(request, code)
    if text.is_published:
        messages.info(
            request, _("Een gepubliceerde tekst verandert nooit. Maak een nieuwe versie; die is al ingevuld.")
        )
        return redirect(f"{reverse('consent:text_create')}?van={text.code}")
    form_kwargs = {"schools": schools_for_beheerder(request.membership), "editing": True}
    form = ConsentTextForm(request.POST if request.method == "POST" else None, instance=text, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            consent_text_update(
                text=text, version=form.read_version, **{k: form.cleaned_data[k] for k in form.cleaned_data}
            )
        except StaleVersion as stale:
            # Another beheerder saved this draft in between: nothing written; both shown.
            form = conflict_form(form, stale.current, **form_kwargs)
            return render(request, "consent/texts/form.html", {"form": form, "text": text})
        except ConsentTextFrozen:
            messages.error(request, _("Deze tekst is intussen gepubliceerd en kan niet meer veranderen."))
        else:
            messages.success(request, _("Concept bijgewerkt."))
        return redirect("consent:text_detail", text.code)
    return render(request, "consent/texts/form.html", {"form": form, "text": text})


@require_POST
@role_required(Role.BEHEERDER)
def text_publish(request, code):
    text = _text_for(request, code)
    try:
        consent_text_publish(text=text)
    except ConsentTextFrozen:
        messages.info(request, _("Deze versie was al gepubliceerd."))
    else:
        messages.success(request, _("Gepubliceerd. Deze versie verandert niet meer."))
    return redirect("consent:text_detail", text.code)


@require_GET
def text_detail(request, code):
    """The exact wording of one version. Published texts are what young people read, so any
    staff member may open them (the consent history links here); drafts only their beheerder."""
    text = ConsentText.objects.select_related("region", "school", "created_by").filter(code=code).first()
    if text is None or request.membership is None:
        raise Http404
    can_manage = texts_for_beheerder(request.membership).filter(pk=text.pk).exists()
    if not text.is_published and not can_manage:
        raise Http404
    return render(request, "consent/texts/detail.html", {"text": text, "can_manage": can_manage})
