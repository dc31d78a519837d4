"""Sign-in, sign-out, password, language, home, audit trail and health."""

from clts.accounts.models import User, UserSession
from tests.access_matrix import ALL, READS, Route
from tests.factories import PASSWORD

NEW_PASSWORD = "another correct horse battery staple"


def _signed_out(world, user):
    assert not UserSession.objects.filter(user=user).exists()


def _password_changed(world, user):
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def _language_chosen(world, user):
    assert User.objects.get(pk=user.pk).language == "hi"


ROUTES = [
    Route("portal:home", allowed=ALL),
    Route("accounts:login", allowed=ALL, public=True, anonymous=(200,), ok=(302,)),
    # Signed in already: sent on, nothing written. (Signing in itself is tested in tests/accounts.)
    Route(
        "accounts:login",
        method="post",
        allowed=ALL,
        data=lambda w: {"username": "nobody", "password": "wrong"},
        public=True,
        anonymous=(200,),
        ok=(302,),
        effect=READS,
    ),
    Route("accounts:logout", allowed=ALL, method="post", ok=(302,), effect=_signed_out, audited=False),
    Route("accounts:password-change", allowed=ALL),
    Route(
        "accounts:password-change",
        method="post",
        allowed=ALL,
        data=lambda w: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        ok=(302,),
        effect=_password_changed,
        audited=False,
    ),
    Route(
        "accounts:language-set",
        allowed=ALL,
        method="post",
        data=lambda w: {"language": "hi"},
        ok=(302,),
        public=True,
        anonymous=(302,),
        effect=_language_chosen,
        audited=False,
    ),
    Route("audit:log", allowed=frozenset({"admin"})),
    Route("health", allowed=ALL, public=True, anonymous=(200, 503), ok=(200, 503)),
]
