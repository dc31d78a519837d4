"""Missing-child reports, found children, and the decision on a possible match.

Adding a report, a found child or a CCI resident asks the matching engine for pairs after the transaction commits
(a Celery task that takes the record's id); the nightly pass scores every open report again. A person decides each
pair: confirmed, the records are linked, the report is closed, its other pairs are closed and the police station
is told; rejected, the pair stays recorded so that it is never raised again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.core.uploads import PHOTO, accept_optional
from clts.orgs.models import Institution
from trackchild_sync.choices import PairStatus, ReportStatus
from trackchild_sync.models import FoundChild, MatchPair, MissingReport

log = logging.getLogger(__name__)


def _not_future(day, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _after_commit_match(kind: str, pk: int) -> None:
    """Ask for pairs once the record is committed (the task reads it by id; it never sees particulars)."""
    from trackchild_sync import matching, tasks

    # The blocking keys are written with the record, so the next record added finds it at once; the scoring
    # runs after the commit, in Celery.
    matching.keys_store(kind, matching.records(kind, [pk]))
    transaction.on_commit(lambda: tasks.match_record.delay(kind, pk))


@transaction.atomic
def missing_report(*, actor, station: Institution | None = None, photo=None, **fields) -> MissingReport:
    """A police station reports a child missing (the admin names the station)."""
    access.require(actor, "missing.report")
    if actor.role == Role.POLICE:
        station = actor.institution
    if station is None or station.kind != Institution.Kind.POLICE or station.district_id is None:
        raise ValidationError({"station": _("Choose the police station of the report.")})
    if not fields.get("sex"):
        raise ValidationError({"sex": _("Give the child's sex.")})
    _not_future(fields.get("reported_on"), "reported_on")
    _not_future(fields.get("last_seen_on"), "last_seen_on")
    if fields["last_seen_on"] > fields["reported_on"]:
        raise ValidationError({"last_seen_on": _("The child was last seen before the report, not after.")})
    duplicate = MissingReport.objects.filter(
        station=station, fir_kind=fields.get("fir_kind", "fir"), fir_number=fields["fir_number"].strip()
    )
    if duplicate.exists():
        raise ValidationError({"fir_number": _("This station has already reported this FIR or GD number.")})
    fields["fir_number"] = fields["fir_number"].strip()
    report = MissingReport.objects.create(
        station=station,
        district_id=station.district_id,
        photo=accept_optional(photo, kind=PHOTO),
        recorded_by=actor,
        **fields,
    )
    _after_commit_match("m", report.pk)
    return report


@transaction.atomic
def found_record(*, actor, district=None, placed_in: Institution | None = None, photo=None, **fields) -> FoundChild:
    """A police station, a DCPU or a CCI records a child found without a guardian."""
    access.require(actor, "found.record")
    institution = getattr(actor, "institution", None)
    district = district or (institution.district if institution else None)
    if district is None:
        raise ValidationError({"district": _("Say in which district the child was found.")})
    if actor.role in (Role.POLICE, Role.DCPU, Role.CCI) and institution and district.pk != institution.district_id:
        raise ValidationError({"district": _("Record children found in your own district.")})
    if placed_in is not None and placed_in.kind != Institution.Kind.CCI:
        raise ValidationError({"placed_in": _("Choose a Child Care Institution, or describe the place.")})
    if not fields.get("sex"):
        raise ValidationError({"sex": _("Give the child's sex.")})
    _not_future(fields.get("found_on"), "found_on")
    found = FoundChild.objects.create(
        district=district,
        placed_in=placed_in,
        recorded_at_institution=institution if actor.role != Role.ADMIN else None,
        photo=accept_optional(photo, kind=PHOTO),
        recorded_by=actor,
        **fields,
    )
    _after_commit_match("f", found.pk)
    return found


def _decidable(actor, pair: MatchPair) -> MatchPair:
    access.require(actor, "match.review")
    access.require_writable(actor, pair)
    pair = (
        MatchPair.objects.select_for_update(of=("self",))
        .select_related("missing", "found", "residence")
        .get(pk=pair.pk)
    )
    if pair.status != PairStatus.PENDING:
        raise ValidationError(_("This pair has already been decided."))
    return pair


@transaction.atomic
def pair_confirm(*, actor, pair: MatchPair, reason: str) -> MatchPair:
    """The same child: link the records, close the report and its other pairs, and tell the police station."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what makes you sure it is the same child.")})
    pair = _decidable(actor, pair)
    now = timezone.now()
    report = MissingReport.objects.select_for_update().get(pk=pair.missing_id)
    if report.status != ReportStatus.OPEN:
        raise ValidationError(_("This report is already closed."))
    pair.status, pair.decided_by, pair.decided_at, pair.reason = PairStatus.CONFIRMED, actor, now, reason.strip()
    pair.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    report.status, report.closed_at = ReportStatus.FOUND, now
    report.save(update_fields=["status", "closed_at", "updated_at"])
    MatchPair.objects.filter(missing=report, status=PairStatus.PENDING).update(status=PairStatus.SUPERSEDED)
    if pair.found_id:
        FoundChild.objects.filter(pk=pair.found_id).update(matched=True, updated_at=now)
    transaction.on_commit(lambda: station_notify(pair_id=pair.pk))
    return pair


@transaction.atomic
def pair_reject(*, actor, pair: MatchPair, reason: str) -> MatchPair:
    """Not the same child: the pair is kept, rejected, and never raised again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why they are two different children.")})
    pair = _decidable(actor, pair)
    pair.status, pair.decided_by, pair.decided_at = PairStatus.REJECTED, actor, timezone.now()
    pair.reason = reason.strip()
    pair.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return pair


def station_notify(*, pair_id: int) -> int:
    """E-mail the police station's users that their report was matched: the FIR number and a link, no particulars."""
    pair = MatchPair.objects.select_related("missing__station").get(pk=pair_id)
    report = pair.missing
    users = User.objects.filter(role=Role.POLICE, institution=report.station, is_active=True).exclude(email="")
    link = settings.SITE_URL.rstrip("/") + reverse("trackchild:missing-detail", kwargs={"pk": report.pk})
    sent = 0
    for user in users:
        with translation.override(user.language):
            subject = _("Missing-child report %(number)s: the child is found") % {"number": report.fir_number}
            body = _(
                "The Child Welfare Committee or DCPU confirmed that the child of your report %(number)s is found. "
                "See where the child is: %(link)s"
            ) % {"number": report.fir_number, "link": link}
        sent += send_mail(subject, body, None, [user.email])
    log.info("missing report %s matched: %s station users told", report.pk, sent)
    return sent


def _require_station_staff(actor, report: MissingReport) -> None:
    if actor.role == Role.POLICE and actor.institution_id != report.station_id:
        raise PermissionDenied


@transaction.atomic
def missing_withdraw(*, actor, report: MissingReport, reason: str) -> MissingReport:
    """The child came home by other means: the station withdraws the report (and its pending pairs close)."""
    access.require(actor, "missing.report")
    access.require_writable(actor, report)
    _require_station_staff(actor, report)
    if not reason.strip():
        raise ValidationError({"reason": _("Say how the child came back.")})
    report = MissingReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise ValidationError(_("This report is already closed."))
    report.status, report.closed_at = ReportStatus.WITHDRAWN, timezone.now()
    report.save(update_fields=["status", "closed_at", "updated_at"])
    MatchPair.objects.filter(missing=report, status=PairStatus.PENDING).update(status=PairStatus.SUPERSEDED)
    return report
