"""Server-side session ending: sign-out everywhere on password change and on deactivation."""

from django.contrib.sessions.models import Session

from clts.accounts.models import UserSession


def sessions_end_for_user(*, user, keep_session_key: str | None = None) -> int:
    """Delete the user's sessions on the server (all but the one given), so a stolen cookie stops working."""
    keys = UserSession.objects.filter(user=user)
    if keep_session_key:
        keys = keys.exclude(session_key=keep_session_key)
    session_keys = list(keys.values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=session_keys).delete()
    keys.delete()
    return deleted
