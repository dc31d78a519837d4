"""Sign-in, sign-out, password change and the language switch."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clts.accounts.forms import LanguageForm
from clts.accounts.sessions import sessions_end_for_user
from clts.core.http import safe_next


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    # A form view would answer PUT as a POST: only the methods the page uses.
    http_method_names = ["get", "post"]


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    http_method_names = ["get", "post"]

    def form_valid(self, form):
        response = super().form_valid(form)
        # Every other session of this user ends on the server; this one continues with the new hash.
        update_session_auth_hash(self.request, form.user)
        sessions_end_for_user(user=form.user, keep_session_key=self.request.session.session_key)
        messages.success(self.request, _("Your password was changed. You were signed out everywhere else."))
        return response

    success_url = reverse_lazy("portal:home")


@require_POST
def language_set(request):
    """Switch the portal language; a signed-in user's choice is remembered on the account."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("/")
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    translation.activate(language)
    response = redirect(safe_next(request, "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


logout_view = login_required(auth_views.LogoutView.as_view())
# Method first: a signed-in visitor would otherwise be redirected before the method is looked at.
login_view = require_http_methods(["GET", "POST"])(LoginView.as_view())
