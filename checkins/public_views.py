"""The young person's check-in pages: no account, a personal link, one question per screen.

The answers of the first two screens wait in the session (keyed by the link) until the last
screen is sent; nothing is written before that. Expired, used-up and guessed links all get the
same friendly page with the same status. Responses are never cached (the URL holds the token).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from checkins import sms
from checkins.forms import ActivityForm, ContactForm, DetailsForm
from checkins.sending import delivery_report
from checkins.services import (
    POSTS_PER_LINK,
    WITH_CONTRACT,
    WITH_DETAILS,
    LinkInvalid,
    answer_submit,
    link_resolve,
)
from consent.links import consent_link_create, link_url
from consent.models import ConsentLink, CurrentConsent, Status
from kwint.lib.client_address import client_address

DONE_KEY = "checkin_done"
STEPS = 3


def _state_key(link) -> str:
    return f"checkin:{link.pk}"


def _invalid(request):
    # 404 with no detail: the page must not tell a guesser whether a link ever existed.
    return render(request, "checkins/public/invalid.html", status=404)


def _resolve(request, token):
    try:
        return link_resolve(token=token, client=client_address(request))
    except LinkInvalid:
        return None


def _page(request, template, link, form, step, **extra):
    context = {"form": form, "step": step, "steps": STEPS, "name": link.student.display_first_name, **extra}
    return render(request, template, context)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_start(request, token):
    link = _resolve(request, token)
    if link is None:
        return _invalid(request)
    state = request.session.get(_state_key(link), {})
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if form.is_valid():
            state = {"activity": form.cleaned_data["activity"], "activity_other": form.cleaned_data["activity_other"]}
            request.session[_state_key(link)] = state
            step = "checkins:public_details" if state["activity"] in WITH_DETAILS else "checkins:public_contact"
            return redirect(step, token=token)
    else:
        form = ActivityForm(initial=state)
    coach = link.student.coach
    return _page(request, "checkins/public/activity.html", link, form, 1, coach=coach.full_name if coach else "")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_details(request, token):
    link = _resolve(request, token)
    if link is None:
        return _invalid(request)
    state = request.session.get(_state_key(link), {})
    if state.get("activity") not in WITH_DETAILS:
        return redirect("checkins:public_start", token=token)
    with_contract = state["activity"] in WITH_CONTRACT
    if request.method == "POST":
        form = DetailsForm(request.POST, with_contract=with_contract)
        if form.is_valid():
            state.update(form.cleaned_data)
            request.session[_state_key(link)] = state
            return redirect("checkins:public_contact", token=token)
    else:
        form = DetailsForm(initial=state, with_contract=with_contract)
    return _page(request, "checkins/public/details.html", link, form, 2)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_contact(request, token):
    link = _resolve(request, token)
    if link is None:
        return _invalid(request)
    state = request.session.get(_state_key(link), {})
    if not state.get("activity"):
        return redirect("checkins:public_start", token=token)
    back = "checkins:public_details" if state["activity"] in WITH_DETAILS else "checkins:public_start"
    if request.method == "POST":
        if not POSTS_PER_LINK.hit(str(link.pk)):
            return _invalid(request)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                answer_submit(
                    link=link,
                    activity=state["activity"],
                    activity_other=state.get("activity_other", ""),
                    organisation_name=state.get("organisation_name", ""),
                    hours_per_week=state.get("hours_per_week"),
                    contract_type=state.get("contract_type", ""),
                    **form.cleaned_data,
                )
            except LinkInvalid:
                return _invalid(request)
            request.session.pop(_state_key(link), None)
            request.session[DONE_KEY] = _done_context(link, form.cleaned_data["wants_contact"])
            return redirect("checkins:public_done")
    else:
        form = ContactForm(initial={"moment": "any"})
    return _page(request, "checkins/public/contact.html", link, form, 3, back=back, token=token)


def _done_context(link, wants_contact: str) -> dict:
    """What the thank-you page shows: the coach and how to reach them, and a link to the
    young person's own consent page (where "no more contact" is one tick away)."""
    student = link.student
    coach = student.coach
    organisation = student.guiding_organisation
    consent_url = ""
    if CurrentConsent.objects.filter(student=student, status=Status.GIVEN).exists():
        _withdraw, withdraw_token = consent_link_create(student=student, kind=ConsentLink.Kind.WITHDRAW)
        consent_url = link_url(ConsentLink.Kind.WITHDRAW, withdraw_token)
    return {
        "coach": coach.full_name if coach else "",
        "coach_phone": coach.phone if coach else "",
        "coach_email": coach.email if coach else "",
        "organisation": organisation.name if organisation else "",
        "organisation_email": organisation.email if organisation else "",
        "wants_contact": wants_contact != "no",
        "consent_url": consent_url,
    }


@login_not_required
@never_cache
@require_GET
def public_done(request):
    done = request.session.pop(DONE_KEY, None) or {}
    return render(request, "checkins/public/done.html", {"done": done})


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def public_sms_report(request):
    """The SMS provider's delivery report. Only a report whose signature holds is read; any
    other request gets 403 and changes nothing."""
    try:
        report = sms.backend().parse_report(request)
    except sms.SignatureInvalid:
        return HttpResponseForbidden()
    delivery_report(report)
    # 200 also for an unknown message: the provider would otherwise retry for days.
    return HttpResponse("ok", content_type="text/plain")
