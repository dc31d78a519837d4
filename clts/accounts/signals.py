"""Session bookkeeping at sign-in and sign-out (infrastructure, not domain logic)."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import pre_save
from django.dispatch import receiver

from clts.accounts.middleware import SESSION_STARTED
from clts.accounts.models import User, UserSession
from clts.accounts.sessions import sessions_end_for_user


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    request.session[SESSION_STARTED] = time.time()
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if user is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(pre_save, sender=User)
def end_sessions_on_deactivation(sender, instance, **kwargs):
    if instance.pk and not instance.is_active:
        was_active = User.objects.filter(pk=instance.pk, is_active=True).exists()
        if was_active:
            sessions_end_for_user(user=instance)
