"""The daily digest: one e-mail per user per day listing what is due and overdue for them (case numbers, the
rule, what to do, a link; never a child's name, village or photo), and an SMS with counts and case numbers."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.alerts import queries
from clts.alerts.models import INSTITUTION_ROLES, Alert, DigestSent, Level
from clts.alerts.sms import sms_backend

logger = logging.getLogger(__name__)

# A digest lists at most this many items (the most urgent); the rest are counted and wait on the work list.
DIGEST_LINES = 40
SMS_CASES = 3
# A digest claimed this long ago and still not sent was claimed by a process that died: it may be claimed again.
STALE_CLAIM = timedelta(minutes=15)


def digest_recipients() -> list[User]:
    """Active users with an e-mail or phone who have at least one unacknowledged open item on their work list."""
    pending = Alert.objects.open().filter(acknowledged_at__isnull=True)
    has = {
        "field": Exists(pending.filter(assignee_id=OuterRef("pk"))),
        "institution": Exists(pending.filter(institution_id=OuterRef("institution_id"))),
        "nodal": Exists(pending.filter(department_id=OuterRef("department_id"), responsible_role=Role.NODAL)),
        "block": Exists(
            pending.filter(block_id=OuterRef("block_id"), start_level__lte=Level.BLOCK, level__gte=Level.BLOCK)
        ),
        "district": Exists(
            pending.filter(
                district_id=OuterRef("district_id"), start_level__lte=Level.DISTRICT, level__gte=Level.DISTRICT
            )
        ),
        "state": Exists(pending.filter(level__gte=Level.STATE)),
    }
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="", phone="")
        .annotate(**{f"has_{name}": condition for name, condition in has.items()})
        .filter(
            Q(role=Role.FIELD, has_field=True)
            | Q(role__in=INSTITUTION_ROLES, has_institution=True)
            | Q(role=Role.NODAL, has_nodal=True)
            | Q(role=Role.BLOCK, has_block=True)
            | Q(role=Role.DISTRICT, has_district=True)
            | Q(role__in=[Role.STATE, Role.ADMIN], has_state=True)
        )
        .order_by("pk")
    )
    return list(users)


def _claim(user: User, day: date) -> DigestSent | None:
    """The user's digest of the day, if this process may send it (nobody has, nor is sending it now)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            digest, created = DigestSent.objects.get_or_create(user=user, day=day, defaults={"claimed_at": now})
    except IntegrityError:
        return None
    if created:
        return digest
    if digest.sent_at is None and digest.claimed_at < now - STALE_CLAIM:
        taken = DigestSent.objects.filter(pk=digest.pk, sent_at__isnull=True, claimed_at=digest.claimed_at).update(
            claimed_at=now
        )
        if taken:
            digest.claimed_at = now
            return digest
    return None


def digest_text(*, user: User, now: datetime) -> dict | None:
    """Subject, e-mail body and SMS text of the user's digest, in the user's language (None if nothing is due)."""
    work = queries.digest_items(user=user, now=now, limit=DIGEST_LINES)
    if not work["items"]:
        return None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "work": work,
            "site": settings.SITE_URL,
            "my_work": settings.SITE_URL + queries.my_work_url(),
            "day": timezone.localdate(now),
            "sms_cases": [item.case_number for item in work["items"] if item.case_number][:SMS_CASES],
        }
        subject = render_to_string("alerts/digest_subject.txt", context).strip()
        body = render_to_string("alerts/digest_email.txt", context)
        sms = " ".join(render_to_string("alerts/digest_sms.txt", context).split())
    return {"subject": subject, "body": body, "sms": sms, "work": work}


def digests_send(*, as_of: datetime | None = None) -> int:
    """Send each user's digest of the day once (a second run the same day, or one running alongside, sends none).
    The loop is over users, not cases: each user's items come from one indexed query."""
    now = as_of or timezone.now()
    day = timezone.localdate(now)
    sent = 0
    for user in digest_recipients():
        digest = _claim(user, day)
        if digest is None:
            continue
        try:
            text = digest_text(user=user, now=now)
            if text is None:
                digest.delete()
                continue
            work = text["work"]
            if user.email:
                send_mail(text["subject"], text["body"], settings.DEFAULT_FROM_EMAIL, [user.email])
                digest.emailed = True
            if user.phone and work["overdue"]:
                sms_backend().send(to=user.phone, text=text["sms"])
                digest.texted = True
        except Exception:
            # Nothing was sent (or the send failed): release the claim so the next run tries again.
            logger.exception("digest for user %s failed", user.pk)
            DigestSent.objects.filter(pk=digest.pk, sent_at__isnull=True).delete()
            continue
        digest.alert_ids = [item.pk for item in work["items"]]
        digest.overdue, digest.due_soon = work["overdue"], work["due_soon"]
        digest.sent_at = timezone.now()
        digest.save()
        sent += 1
    return sent
