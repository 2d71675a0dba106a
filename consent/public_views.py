"""The young person's own pages: no account, a personal link, mobile first.

Expired, used and guessed links all get the same friendly page with the same status and
change nothing. Responses are never cached (the URL holds the token).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from consent.forms import PublicAnswerForm, PublicWithdrawForm, text_body, text_title
from consent.links import (
    LinkInvalid,
    consent_answer_by_link,
    consent_link_resolve,
    consent_withdraw_by_link,
    link_url,
)
from consent.models import ConsentLink, CurrentConsent, Purpose, Status
from consent.selectors import applicable_texts
from kwint.lib.client_address import client_address

DONE_KEY = "consent_done"


def _invalid(request):
    # 404 with no detail: the page must not tell a guesser whether a link ever existed.
    return render(request, "consent/public/invalid.html", status=404)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_answer(request, token):
    try:
        link = consent_link_resolve(token=token, kind=ConsentLink.Kind.ANSWER, client=client_address(request))
    except LinkInvalid:
        return _invalid(request)
    student = link.student
    texts = applicable_texts(student)
    form = PublicAnswerForm(request.POST if request.method == "POST" else None, texts=texts)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            withdraw_token = consent_answer_by_link(link=link, answers=answers)
        except LinkInvalid:
            return _invalid(request)
        request.session[DONE_KEY] = {
            "given": [text_title(texts[p]) for p, s in answers.items() if s == Status.GIVEN],
            "refused": [text_title(texts[p]) for p, s in answers.items() if s == Status.REFUSED],
            "withdraw_url": link_url(ConsentLink.Kind.WITHDRAW, withdraw_token) if withdraw_token else "",
            "emailed": bool(withdraw_token and student.email),
        }
        return redirect("consent:public_done")
    rows = [
        {"field": field, "title": text_title(texts[p]), "body": text_body(texts[p])}
        for p, field in zip(texts, form.answer_fields(), strict=True)
    ]
    return render(
        request, "consent/public/answer.html", {"form": form, "rows": rows, "name": student.display_first_name}
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_withdraw(request, token):
    try:
        link = consent_link_resolve(token=token, kind=ConsentLink.Kind.WITHDRAW, client=client_address(request))
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
            "withdraw_url": ""
            if not (set(given) - {r.purpose for r in records})
            else link_url(ConsentLink.Kind.WITHDRAW, token),
        }
        return redirect("consent:public_done")
    return render(
        request,
        "consent/public/withdraw.html",
        {"form": form, "name": student.display_first_name, "nothing_left": not given},
    )


@login_not_required
@never_cache
@require_GET
def public_done(request):
    done = request.session.pop(DONE_KEY, None) or {}
    return render(request, "consent/public/done.html", {"done": done})
