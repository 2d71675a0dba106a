"""The young person's own pages: no account, a personal link, mobile first.

A link works for its lifetime, as often as needed (see consent.links). Expired and guessed
links get the same friendly page with the same status and change nothing. Responses are never
cached (the URL holds the token).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from consent.forms import NewLinkForm, PublicAnswerForm, PublicWithdrawForm, text_body, text_title
from consent.links import (
    LinkInvalid,
    consent_answer_by_link,
    consent_link_resolve,
    consent_withdraw_by_link,
    link_url,
)
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Purpose, Status
from consent.selectors import applicable_texts, is_adult, needs_representative
from consent.tasks import consent_link_request_task
from kwint.lib.client_address import client_address
from kwint.lib.ratelimit import Limit

DONE_KEY = "consent_done"


def _invalid(request):
    # 404 with no detail: the page must not tell a guesser whether a link ever existed.
    return render(request, "consent/public/invalid.html", status=404)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_answer(request, token):
    try:
        link = consent_link_resolve(token=token, client=client_address(request))
    except LinkInvalid:
        return _invalid(request)
    student = link.student
    texts = applicable_texts(student)
    current = {
        c.purpose: c
        for c in CurrentConsent.objects.filter(student=student, purpose__in=list(texts))
        .select_related("record")
        .order_by()
    }
    form = PublicAnswerForm(
        request.POST if request.method == "POST" else None,
        texts=texts,
        representative_name=link.representative_name if link.for_representative else None,
    )
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            withdraw_token = consent_answer_by_link(
                link=link, answers=answers, representative_name=form.cleaned_data.get("representative_name", "")
            )
        except LinkInvalid:
            return _invalid(request)
        request.session[DONE_KEY] = {
            "given": [text_title(texts[p]) for p, s in answers.items() if s == Status.GIVEN],
            "refused": [text_title(texts[p]) for p, s in answers.items() if s == Status.REFUSED],
            # The link to keep: a new long-lived one (also e-mailed), else the one just used.
            "withdraw_url": link_url(ConsentLink.Kind.WITHDRAW, withdraw_token or token),
            "emailed": bool(withdraw_token and student.email and not link.for_representative),
            "for_representative": link.for_representative,
        }
        return redirect("consent:public_done")
    rows = [
        {
            "field": field,
            "title": text_title(texts[p]),
            "body": text_body(texts[p]),
            "current": current.get(p),
        }
        for p, field in zip(texts, form.answer_fields(), strict=True)
    ]
    # At 18, answers a parent or guardian gave are asked again: the page says why.
    renewal_by = (
        ""
        if link.for_representative
        else next(
            (
                c.record.representative_name or str(c.record.get_given_by_display()).lower()
                for c in current.values()
                if c.status == Status.GIVEN and c.record.given_by != ConsentRecord.GivenBy.STUDENT
            ),
            "",
        )
    )
    renewal = bool(renewal_by) and not needs_representative(student, timezone.localdate()) and is_adult(student)
    return render(
        request,
        "consent/public/answer.html",
        {
            "form": form,
            "rows": rows,
            "name": student.display_first_name,
            "for_representative": link.for_representative,
            "representative_name": link.representative_name,
            "renewal": renewal,
            "renewal_by": renewal_by,
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_withdraw(request, token):
    try:
        link = consent_link_resolve(token=token, client=client_address(request))
    except LinkInvalid:
        return _invalid(request)
    student = link.student
    given = {
        c.purpose: c.record.text
        for c in CurrentConsent.objects.filter(student=student, status=Status.GIVEN)
        .select_related("record__text")
        .order_by("purpose")
    }
    form = PublicWithdrawForm(request.POST if request.method == "POST" else None, given=given)
    if request.method == "POST" and form.is_valid():
        try:
            records = consent_withdraw_by_link(link=link, purposes=form.cleaned_data["purposes"])
        except LinkInvalid:
            return _invalid(request)
        request.session[DONE_KEY] = {
            "withdrawn": [
                text_title(given[r.purpose]) if given.get(r.purpose) else str(Purpose(r.purpose).label) for r in records
            ],
            # The same link keeps working: to withdraw more, or to give consent again.
            "withdraw_url": link_url(ConsentLink.Kind.WITHDRAW, token),
        }
        return redirect("consent:public_done")
    return render(
        request,
        "consent/public/withdraw.html",
        {
            "form": form,
            "name": student.display_first_name,
            "for_representative": link.for_representative,
            "representative_name": link.representative_name,
            "nothing_left": not given,
            "answer_url": reverse("consent:public_answer", args=[token]),
        },
    )


@login_not_required
@never_cache
@require_GET
def public_done(request):
    done = request.session.pop(DONE_KEY, None) or {}
    return render(request, "consent/public/done.html", {"done": done})


HOUR = 3600
# "Stuur me een nieuwe link": per connection a few an hour (a page saying so, which reveals
# nothing about who is known); per typed address a few a day, silently (same page, no mail).
NEW_LINKS_PER_CLIENT = Limit("consent-new-link-per-client", 5, HOUR)
NEW_LINKS_PER_ADDRESS = Limit("consent-new-link-per-address", 3, 24 * HOUR)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_new_link(request):
    """Ask for a new personal link. The same work and the same answer whether the address is
    known or not: the view only counts and enqueues; the worker looks the address up."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not NEW_LINKS_PER_CLIENT.hit(client_address(request)):
            form.add_error(
                None,
                _("Er is vanaf deze verbinding te vaak een nieuwe link gevraagd. Probeer het over een uur opnieuw."),
            )
            return render(request, "consent/public/new_link.html", {"form": form}, status=429)
        address = form.cleaned_data["address"]
        if NEW_LINKS_PER_ADDRESS.hit(address):
            transaction.on_commit(lambda: consent_link_request_task.delay(address=address))
        return redirect("consent:public_new_link_sent")
    return render(request, "consent/public/new_link.html", {"form": form})


@login_not_required
@never_cache
@require_GET
def public_new_link_sent(request):
    return render(request, "consent/public/new_link_sent.html")
