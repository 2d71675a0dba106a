from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import LoginForm
from accounts.login_throttle import address_blocked, address_blocked_response, address_failure_record
from accounts.middleware import SESSION_MEMBERSHIP_KEY
from accounts.models import Role
from accounts.selectors import memberships_of

START_PAGES = {
    Role.COACH: "coaching:caseload",
    Role.STAGIAIR: "coaching:caseload",
    Role.ZORGCOORDINATOR: "students:list",
    Role.COORDINATOR: "dashboards:region",
    Role.BEHEERDER: "accounts:organisations",
    Role.MATCHTAFEL: "accounts:start",
}


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Password spraying: an address that used up its wrong logins is not even checked.
        if address_blocked(request):
            return address_blocked_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        address_failure_record(self.request)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.session.pop("kwint_timed_out", False)
        return context


@require_GET
def home(request):
    """Send each role to its own start page."""
    membership = request.membership
    if membership is None:
        return render(request, "accounts/no_membership.html", status=403)
    return redirect(START_PAGES[membership.role])


@require_GET
def start(request):
    """The start page for roles whose own capability is still to come (Matchtafel partner)."""
    return render(request, "accounts/start.html", {"memberships": memberships_of(request.user)})


@require_POST
def switch_membership(request, code):
    membership = memberships_of(request.user).filter(code=code).first()
    if membership is None:
        raise Http404
    request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
    return redirect("home")
