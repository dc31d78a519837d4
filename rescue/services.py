"""Every write of the rescue app: registration, the case workflow, CWC orders, transfers, and re-rescue links.

The case workflow is the TRANSITIONS table below: for each status, the statuses a case may move to and the
action (an entry of clts.accounts.access.ACTIONS) a user needs to make that move. `case_transition` is the only
way a status changes; each move is checked against the table and written to the case's timeline.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.geo.models import District
from rescue import matching
from rescue.models import (
    Case,
    CaseEvent,
    CaseNumberCounter,
    Category,
    Child,
    Interstate,
    RescueOperation,
    Status,
    Transfer,
    TransferKind,
    TransferStage,
)
from rescue.queries import home_state
from trackchild_sync.models import CwcOrder, Institution

S = Status
# from-status -> {to-status: action the user's role needs (access.ACTIONS)}.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.RESCUED: {
        S.PRODUCED: "case.record_cwc_order",
        S.LOST_CONTACT: "case.decide",
        S.TRANSFERRED_OUT: "case.transfer",
    },
    S.PRODUCED: {
        S.IN_SHELTER: "case.record_cwc_order",
        S.RESTORED: "case.record_cwc_order",
        S.LOST_CONTACT: "case.decide",
        S.TRANSFERRED_OUT: "case.transfer",
    },
    S.IN_SHELTER: {
        S.RESTORED: "case.record_cwc_order",
        S.LOST_CONTACT: "case.decide",
        S.TRANSFERRED_OUT: "case.transfer",
    },
    S.RESTORED: {S.REHABILITATION: "case.edit", S.RETRAFFICKED: "case.decide", S.LOST_CONTACT: "case.decide"},
    S.REHABILITATION: {S.FOLLOW_UP: "case.edit", S.RETRAFFICKED: "case.decide", S.LOST_CONTACT: "case.decide"},
    S.FOLLOW_UP: {S.CLOSED: "case.decide", S.RETRAFFICKED: "case.decide", S.LOST_CONTACT: "case.decide"},
    # Contact regained: the follow-up resumes; or the child is found working again.
    S.LOST_CONTACT: {S.FOLLOW_UP: "case.decide", S.RETRAFFICKED: "case.decide"},
    S.CLOSED: {S.RETRAFFICKED: "case.decide"},
    S.RETRAFFICKED: {},
    S.TRANSFERRED_OUT: {},
}

# Statuses at which the child has been restored to the family (a later rescue then means re-trafficking).
AFTER_RESTORATION = {S.RESTORED, S.REHABILITATION, S.FOLLOW_UP, S.CLOSED, S.LOST_CONTACT}
OPEN_STATUSES = {s for s, moves in TRANSITIONS.items() if moves}

# JJ Act 2015, section 31(1): a child in need of care and protection is produced before the Committee within
# twenty-four hours (excluding the journey); later production must be explained and is counted as late.
PRODUCTION_LIMIT = timedelta(hours=24)
ADULT_AGE = 18
# Child and Adolescent Labour (Prohibition and Regulation) Act 1986, section 2: "child" is under 14 years;
# "adolescent" is 14 and above but under 18.
ADOLESCENT_AGE = 14


def allowed_moves(*, case: Case, user) -> list[str]:
    """The statuses this user may move this case to now (for forms; the service checks again)."""
    moves = []
    for to, action in TRANSITIONS.get(case.status, {}).items():
        if not access.can(user, action):
            continue
        if to == S.TRANSFERRED_OUT and case.interstate != Interstate.OUTBOUND:
            continue
        moves.append(to)
    return moves


def category_for_age(age: int) -> str:
    return Category.CHILD if age < ADOLESCENT_AGE else Category.ADOLESCENT


def _json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _event(case: Case, *, kind: str, actor, at: datetime, reason: str = "", **data) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        at=at,
        reason=reason,
        from_status=data.pop("from_status", ""),
        to_status=data.pop("to_status", ""),
        data={key: _json(value) for key, value in data.items() if value not in (None, "")},
    )


def _check_time(at: datetime, *, not_before: datetime | None, field: str) -> None:
    if at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({field: _("The date and time cannot be in the future.")})
    if not_before and at < not_before:
        raise ValidationError(
            {
                field: _("The date and time cannot be before %(when)s.")
                % {"when": timezone.localtime(not_before).strftime("%Y-%m-%d %H:%M")}
            }
        )


@transaction.atomic
def case_transition(*, case: Case, to: str, actor, reason: str, at: datetime | None = None, **details) -> Case:
    """Move a case to another status if the table allows it for the actor's role; write the timeline event.

    Details by target status: produced: `cwc` (an Institution; defaults to the case's CWC or the actor's),
    `late_reason` (needed when produced more than 24 hours after the rescue); in_shelter: `cci`. Any other
    details are kept on the timeline event.
    """
    action = TRANSITIONS.get(case.status, {}).get(to)
    if action is not None and not access.can(actor, action):
        raise PermissionDenied(_("Your role may not move a case to “%(to)s”.") % {"to": Status(to).label})
    return _apply_transition(case=case, to=to, actor=actor, reason=reason, at=at, details=details)


def _apply_transition(*, case: Case, to: str, actor, reason: str, at: datetime | None, details: dict) -> Case:
    locked = Case.objects.select_for_update().select_related("rescue").get(pk=case.pk)
    if to not in TRANSITIONS.get(locked.status, {}):
        raise ValidationError(
            _("A case that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": Status(locked.status).label, "to": Status(to).label if to in Status.values else to}
        )
    at = at or timezone.now()
    _check_time(at, not_before=locked.rescue.rescued_at, field="at")
    changed = {"status", "status_changed_at"}
    data: dict[str, Any] = {}
    if to == S.PRODUCED:
        cwc = details.pop("cwc", None) or locked.cwc or getattr(actor, "institution", None)
        if cwc is not None and cwc.kind != Institution.Kind.CWC:
            raise ValidationError({"cwc": _("Choose a Child Welfare Committee.")})
        if cwc is None and locked.interstate != Interstate.INBOUND:
            raise ValidationError({"cwc": _("Say before which CWC the child was produced.")})
        late_reason = (details.pop("late_reason", "") or "").strip()
        late = at - locked.rescue.rescued_at > PRODUCTION_LIMIT
        if late and not late_reason:
            raise ValidationError(
                {"late_reason": _("The child was produced more than 24 hours after the rescue: record the reason.")}
            )
        locked.cwc, locked.produced_at, locked.production_late = cwc, at, late
        locked.late_reason = late_reason if late else ""
        changed |= {"cwc", "produced_at", "production_late", "late_reason"}
        data |= {"cwc": cwc, "late": late, "late_reason": locked.late_reason}
    elif to == S.IN_SHELTER:
        cci = details.pop("cci", None)
        if cci is None or cci.kind != Institution.Kind.CCI:
            raise ValidationError({"cci": _("Choose the CCI or shelter the child is placed in.")})
        locked.cci = cci
        changed.add("cci")
        data["cci"] = cci
    elif to == S.RESTORED:
        data["cci"] = locked.cci
        locked.cci = None  # the child has left the institution
        locked.restored_at = locked.restored_at or at
        changed |= {"cci", "restored_at"}
    elif to == S.TRANSFERRED_OUT and locked.interstate != Interstate.OUTBOUND:
        raise ValidationError(_("Only a child of another state can be transferred out of the state."))
    from_status = locked.status
    locked.status, locked.status_changed_at = to, at
    locked.save(update_fields=[*changed, "updated_at"])
    _event(
        locked,
        kind=CaseEvent.Kind.TRANSITION,
        actor=actor,
        at=at,
        reason=reason,
        from_status=from_status,
        to_status=to,
        **(details | data),
    )
    for name in changed:
        setattr(case, name, getattr(locked, name))
    return locked


@transaction.atomic
def cwc_order_record(
    *,
    case: Case,
    actor,
    kind: str = "",
    ordered_on=None,
    order_number: str = "",
    cci: Institution | None = None,
    restored_to: str = "",
    notes: str = "",
    produced_at: datetime | None = None,
    late_reason: str = "",
) -> Case:
    """A CWC member records the production of the child (if not yet recorded) and the Committee's order."""
    if not access.can(actor, "case.record_cwc_order"):
        raise PermissionDenied
    cwc = actor.institution if getattr(actor, "institution", None) else case.cwc
    if case.status == S.RESCUED:
        if produced_at is None:
            raise ValidationError({"produced_at": _("Record when the child was produced before the Committee.")})
        case = case_transition(
            case=case,
            to=S.PRODUCED,
            actor=actor,
            reason=_("Produced before the Committee."),
            at=produced_at,
            cwc=cwc,
            late_reason=late_reason,
        )
    if not kind:
        return case
    if ordered_on is None:
        raise ValidationError({"ordered_on": _("Give the date of the order.")})
    if ordered_on > timezone.localdate():
        raise ValidationError({"ordered_on": _("The date cannot be in the future.")})
    if case.produced_at and ordered_on < timezone.localdate(case.produced_at):
        raise ValidationError({"ordered_on": _("The order cannot be dated before the production.")})
    if kind in (CwcOrder.Kind.INTERIM_SHELTER, CwcOrder.Kind.CCI_PLACEMENT):
        if cci is None or cci.kind != Institution.Kind.CCI:
            raise ValidationError({"cci": _("Choose the CCI or shelter the child is placed in.")})
        target = S.IN_SHELTER
    else:
        target = S.RESTORED
    order = CwcOrder.objects.create(
        case=case,
        cwc=cwc or case.cwc,
        kind=kind,
        order_number=order_number,
        ordered_on=ordered_on,
        cci=cci if target == S.IN_SHELTER else None,
        restored_to=restored_to,
        notes=notes,
        recorded_by=actor,
    )
    reason = _("CWC order: %(kind)s.") % {"kind": order.get_kind_display()}
    at = timezone.now()
    if target == case.status == S.IN_SHELTER:
        # From interim shelter to a CCI: the status stays, the institution changes.
        Case.objects.filter(pk=case.pk).update(cci=cci, updated_at=at)
        case.cci = cci
        _event(case, kind=CaseEvent.Kind.CWC_ORDER, actor=actor, at=at, reason=reason, order=order, cci=cci)
        return case
    _event(case, kind=CaseEvent.Kind.CWC_ORDER, actor=actor, at=at, reason=notes, order=order, order_kind=kind)
    details = {"cci": cci} if target == S.IN_SHELTER else {}
    return case_transition(case=case, to=target, actor=actor, reason=reason, at=at, order=order, **details)


# --- Registration ---------------------------------------------------------------------------------------------


def _next_case_number(district: District, year: int) -> str:
    """BR-GAY-2026-000123: state and district short codes, year of rescue, per-district-and-year counter."""
    if not (district.short_code and district.state.short_code):
        raise ValidationError(
            _("%(district)s has no short code for case numbers; the administrator must set it.")
            % {"district": district.name}
        )
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(district=district, year=year)], ignore_conflicts=True)
    counter = CaseNumberCounter.objects.select_for_update().get(district=district, year=year)
    while True:
        counter.last += 1
        number = f"{district.state.short_code}-{district.short_code}-{year}-{counter.last:06d}"
        # A number taken by an import or an earlier numbering is skipped, never reused.
        if not Case.objects.filter(case_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


def _age_on(child: dict, on) -> int | None:
    born = child.get("date_of_birth")
    if born:
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return child.get("age_years")


CHILD_FIELDS = (
    "name",
    "alias",
    "sex",
    "date_of_birth",
    "age_years",
    "age_assessment",
    "father_name",
    "mother_name",
    "guardian_name",
    "guardian_relation",
    "home_state",
    "home_district",
    "home_block",
    "home_village",
    "home_village_text",
    "home_address",
    "languages",
    "education_level",
    "disability",
    "photo",
)
CASE_FIELDS = (
    "hours_per_day",
    "wage_per_month",
    "months_employed",
    "hazardous",
    "bonded",
    "bonded_indicators",
    "trafficked",
)
RESCUE_FIELDS = (
    "rescued_at",
    "state",
    "district",
    "block",
    "district_text",
    "city",
    "locality",
    "establishment_name",
    "industry",
    "employer_name",
    "employer_address",
    "led_by",
    "rescuing_authority",
    "rescuing_cwc",
    "reference",
    "fir_number",
    "police_station",
    "sections",
)


# Child fields that take None (the others take "" when left empty).
_NULLABLE = {"date_of_birth", "age_years", "home_district", "home_block", "home_village", "photo", "home_state"}


def particulars_of(child: dict, *, on=None) -> matching.Particulars:
    aadhaar = (child.get("aadhaar") or "").strip()
    home_district = child.get("home_district")
    return matching.Particulars(
        name=child.get("name") or "",
        alias=child.get("alias") or "",
        father_name=child.get("father_name") or "",
        mother_name=child.get("mother_name") or "",
        guardian_name=child.get("guardian_name") or "",
        village=child.get("home_village_text") or "",
        sex=child.get("sex") or "",
        age=_age_on(child, on) if on else child.get("age_years"),
        on=on,
        home_district_id=home_district.pk if home_district else None,
        aadhaar_hash=matching.aadhaar_hash(aadhaar) if aadhaar else "",
    )


class _Errors:
    """Errors keyed "rescue.<field>" or "children.<n>.<field>" so the form shows each beside its field."""

    def __init__(self):
        self.items: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.items.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def _validate_rescue(data: dict, production: dict, home, errors: _Errors) -> None:
    now = timezone.now()
    rescued_at = data.get("rescued_at")
    if rescued_at is None:
        errors.add("rescue.rescued_at", _("Give the date and time of the rescue."))
    elif rescued_at > now:
        errors.add("rescue.rescued_at", _("The date and time of the rescue cannot be in the future."))
    state = data.get("state")
    if state is None:
        errors.add("rescue.state", _("Choose the state where the rescue took place."))
    elif state == home:
        if data.get("district") is None:
            errors.add("rescue.district", _("Choose the district where the rescue took place."))
        elif data.get("block") and data["block"].district_id != data["district"].pk:
            errors.add("rescue.block", _("This block is not in the chosen district."))
        elif data["district"].state_id != home.pk:
            errors.add("rescue.district", _("This district is not in the chosen state."))
    else:
        data["district"] = data["block"] = None
        if not (data.get("district_text") or data.get("city")):
            errors.add("rescue.district_text", _("Give the district or city of the rescue, as reported."))
        if not data.get("rescuing_authority"):
            errors.add("rescue.rescuing_authority", _("Name the authority of the other state that led the rescue."))
    cwc = production.get("cwc")
    if cwc is not None and cwc.kind != Institution.Kind.CWC:
        errors.add("rescue.cwc", _("Choose a Child Welfare Committee."))
    produced_at = production.get("produced_at")
    if produced_at and rescued_at:
        if produced_at > now:
            errors.add("rescue.produced_at", _("The date and time of production cannot be in the future."))
        elif produced_at < rescued_at:
            errors.add("rescue.produced_at", _("The children cannot be produced before they were rescued."))
        elif produced_at - rescued_at > PRODUCTION_LIMIT and not production.get("late_reason"):
            errors.add(
                "rescue.late_reason",
                _("Production more than 24 hours after the rescue is accepted only with the reason for the delay."),
            )
        if state == home and cwc is None:
            errors.add("rescue.cwc", _("Say before which CWC the children were produced."))


def _validate_child(n: int, child: dict, rescue: dict, home, actor, errors: _Errors) -> None:
    key = f"children.{n}."
    rescued_at = rescue.get("rescued_at")
    on = timezone.localdate(rescued_at) if rescued_at else timezone.localdate()
    if not (child.get("name") or "").strip():
        errors.add(key + "name", _("Give the child's name."))
    born = child.get("date_of_birth")
    if born and born > timezone.localdate():
        errors.add(key + "date_of_birth", _("The date of birth cannot be in the future."))
    elif born and born > on:
        errors.add(key + "date_of_birth", _("The date of birth cannot be after the rescue."))
    age = _age_on(child, on)
    if age is None:
        errors.add(key + "age_years", _("Give the date of birth or the age."))
    elif age >= ADULT_AGE:
        errors.add(
            key + "age_years",
            _(
                "At %(age)s years this person is an adult. Only a child (under 14) or an adolescent (14 to 18) "
                "can be registered."
            )
            % {"age": age},
        )
    elif born and child.get("age_years") is not None and abs(child["age_years"] - age) > 1:
        errors.add(
            key + "age_years",
            _("The age does not agree with the date of birth (%(age)s years at the rescue).") % {"age": age},
        )
    home_state = child.get("home_state")
    state = rescue.get("state")
    if home_state is None:
        errors.add(key + "home_state", _("Choose the child's home state."))
    elif home_state == home:
        district = child.get("home_district")
        if district is None:
            errors.add(key + "home_district", _("Choose the child's home district."))
        elif district.state_id != home.pk:
            errors.add(key + "home_district", _("This district is not in the chosen state."))
        elif child.get("home_block") and child["home_block"].district_id != district.pk:
            errors.add(key + "home_block", _("This block is not in the chosen district."))
    else:
        child["home_district"] = child["home_block"] = child["home_village"] = None
        if state is not None and state != home:
            errors.add(
                key + "home_state",
                _("A child rescued outside %(home)s is registered here only if the home is in %(home)s.")
                % {"home": home.name},
            )
    aadhaar = (child.get("aadhaar") or "").replace(" ", "")
    if aadhaar and not (aadhaar.isdigit() and len(aadhaar) == 12):
        errors.add(key + "aadhaar", _("An Aadhaar number has 12 digits."))
    hours = child.get("hours_per_day")
    if hours is not None and hours > 24:
        errors.add(key + "hours_per_day", _("A day has 24 hours."))
    if not (child.get("name") and age is not None and age < ADULT_AGE):
        return
    # An earlier record of the same child must be linked, or the officer must say it is another child.
    particulars = particulars_of(child, on=on)
    candidates = matching.find_candidates(particulars=particulars, user=actor, limit=10)
    linked = child.get("link_child")
    if linked is not None:
        if linked.pk not in {c.child.pk for c in candidates}:
            errors.add(key + "link_child", _("The earlier record chosen does not match this child; search again."))
    elif not child.get("confirmed_new") and any(c.score >= matching.STRONG_SCORE for c in candidates):
        errors.add(
            key + "link_child",
            _("Earlier records look like this child: link the right one, or confirm that this is a different child."),
        )


@transaction.atomic
def rescue_register(*, actor, rescue_data: dict, children_data: list[dict]) -> RescueOperation:
    """Register one rescue operation and a case for each child rescued in it.

    `rescue_data`: RescueOperation fields, plus `cwc`, `produced_at`, `late_reason` when the children have been
    produced before a CWC. `children_data`: one dict per child with Child fields, the case's work details
    (CASE_FIELDS), `aadhaar` (the full number, kept only as last four digits and a keyed hash), and either
    `link_child` (an earlier Child record of the same child) or `confirmed_new`.
    Raises ValidationError keyed "rescue.<field>" / "children.<n>.<field>"; nothing is written then.
    """
    if not access.can(actor, "rescue.register"):
        raise PermissionDenied
    home = home_state()
    rescue_data = dict(rescue_data)
    production = {
        "cwc": rescue_data.pop("cwc", None),
        "produced_at": rescue_data.pop("produced_at", None),
        "late_reason": (rescue_data.pop("late_reason", "") or "").strip(),
    }
    children_data = [dict(child) for child in children_data]
    errors = _Errors()
    _validate_rescue(rescue_data, production, home, errors)
    if not children_data:
        errors.add("rescue.__all__", _("Add at least one child."))
    for n, child in enumerate(children_data):
        _validate_child(n, child, rescue_data, home, actor, errors)
    errors.raise_if_any()

    rescue = RescueOperation.objects.create(
        **{name: rescue_data[name] for name in RESCUE_FIELDS if name in rescue_data}, created_by=actor
    )
    for n, child_data in enumerate(children_data):
        case = _register_child(rescue=rescue, child_data=child_data, production=production, home=home, actor=actor)
        if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
            field = "district" if rescue.state_id == home.pk else "rescuing_authority"
            raise ValidationError(
                {
                    f"children.{n}.home_district": [
                        _("You can register only rescues in your area, or children whose home is in your area.")
                    ],
                    f"rescue.{field}": [_("This rescue is outside your area.")],
                }
            )
    return rescue


def _register_child(*, rescue: RescueOperation, child_data: dict, production: dict, home, actor) -> Case:
    on = timezone.localdate(rescue.rescued_at)
    age = _age_on(child_data, on)
    aadhaar = (child_data.get("aadhaar") or "").replace(" ", "")
    linked: Child | None = child_data.get("link_child")
    values = {}
    for name in CHILD_FIELDS:
        if name in child_data:
            value = child_data[name]
            values[name] = "" if value is None and name not in _NULLABLE else value
    if aadhaar:
        values |= {"aadhaar_last4": aadhaar[-4:], "aadhaar_hash": matching.aadhaar_hash(aadhaar)}
    if linked is None:
        values["age_years"] = age
        child = Child.objects.create(**values)
    else:
        child = Child.objects.select_for_update().get(pk=linked.pk)
        # The new registration brings the latest particulars; the audit trail keeps the earlier ones.
        typed_name = values.pop("name", "")
        values.pop("age_years", None)
        if typed_name and matching.name_key(typed_name) != matching.name_key(child.name) and not child.alias:
            child.alias = typed_name
        for name, value in values.items():
            if value not in (None, "", [], False):
                setattr(child, name, value)
        child.save()

    if rescue.state_id != home.pk:
        interstate, number_district = Interstate.INBOUND, child.home_district
    elif child.home_state_id != home.pk:
        interstate, number_district = Interstate.OUTBOUND, rescue.district
    else:
        interstate, number_district = Interstate.NONE, rescue.district
    case = Case.objects.create(
        case_number=_next_case_number(number_district, on.year),
        child=child,
        rescue=rescue,
        category=category_for_age(age),
        age_at_rescue=age,
        rescued_on=on,
        district=rescue.district,
        block=rescue.block,
        home_district=child.home_district,
        home_block=child.home_block,
        interstate=interstate,
        status=S.RESCUED,
        status_changed_at=rescue.rescued_at,
        cwc=production["cwc"] if interstate != Interstate.INBOUND else None,
        responsible_officer=actor,
        created_by=actor,
        **{name: child_data[name] for name in CASE_FIELDS if child_data.get(name) is not None},
    )
    _event(case, kind=CaseEvent.Kind.REGISTERED, actor=actor, at=timezone.now(), rescue=rescue.pk)
    _open_transfer_if_needed(case=case, rescue=rescue, child=child, home=home, actor=actor)
    if production["produced_at"]:
        _apply_transition(
            case=case,
            to=S.PRODUCED,
            actor=actor,
            reason=_("Produced before the Committee (recorded at registration)."),
            at=production["produced_at"],
            details={"cwc": production["cwc"], "late_reason": production["late_reason"]},
        )
    if linked is not None:
        _link_rescued_again(case=case, actor=actor)
    return case


def _open_transfer_if_needed(*, case: Case, rescue: RescueOperation, child: Child, home, actor) -> None:
    now = timezone.now()
    if case.interstate == Interstate.INBOUND:
        transfer = Transfer(
            kind=TransferKind.REPATRIATION, from_state=rescue.state, to_state=home, to_district=case.home_district
        )
    elif case.interstate == Interstate.OUTBOUND:
        transfer = Transfer(
            kind=TransferKind.HANDOVER, from_state=home, from_district=case.district, to_state=child.home_state
        )
    elif case.home_district_id and case.home_district_id != case.district_id:
        transfer = Transfer(
            kind=TransferKind.DISTRICT,
            from_state=home,
            from_district=case.district,
            to_state=home,
            to_district=case.home_district,
        )
    else:
        return
    transfer.case, transfer.initiated_by, transfer.initiated_at = case, actor, now
    transfer.reason = _("Opened at registration: the child's home is elsewhere.")
    transfer.save()
    _event(case, kind=CaseEvent.Kind.TRANSFER, actor=actor, at=now, reason=transfer.reason, transfer=transfer)


def _link_rescued_again(*, case: Case, actor) -> None:
    """Link a new case to the child's previous one; a child restored and rescued again was re-trafficked."""
    previous = (
        Case.objects.select_for_update()
        .filter(child_id=case.child_id)
        .exclude(pk=case.pk)
        .order_by("-rescued_on", "-id")
        .first()
    )
    if previous is None:
        return
    Case.objects.filter(pk=case.pk).update(previous_case=previous)
    case.previous_case = previous
    now = timezone.now()
    _event(
        case,
        kind=CaseEvent.Kind.LINKED,
        actor=actor,
        at=now,
        reason=_("Rescued before: case %(number)s.") % {"number": previous.case_number},
        previous_case=previous.case_number,
    )
    if previous.restored_at and S.RETRAFFICKED in TRANSITIONS.get(previous.status, {}):
        # A consequence of the new rescue, not a decision of the registering officer's role: no role check.
        _apply_transition(
            case=previous,
            to=S.RETRAFFICKED,
            actor=actor,
            reason=_("Rescued again on %(date)s: case %(number)s.")
            % {"date": case.rescued_on.isoformat(), "number": case.case_number},
            at=now,
            details={"new_case": case.case_number},
        )
    else:
        _event(
            previous,
            kind=CaseEvent.Kind.LINKED,
            actor=actor,
            at=now,
            reason=_("Rescued again: case %(number)s.") % {"number": case.case_number},
            new_case=case.case_number,
        )


# --- Transfers ------------------------------------------------------------------------------------------------


@transaction.atomic
def case_transfer_to_district(*, case: Case, actor, to_district: District, reason: str, to_block=None) -> Transfer:
    """The child's home turns out to be in another district of the state: that district takes the case over."""
    if not access.can(actor, "case.transfer"):
        raise PermissionDenied
    home = home_state()
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in OPEN_STATUSES:
        raise ValidationError(_("A closed case cannot be transferred."))
    if case.interstate != Interstate.NONE:
        raise ValidationError(_("An interstate case moves by repatriation or handover, not by district transfer."))
    if to_district.state_id != home.pk:
        raise ValidationError({"to_district": _("Choose a district of %(home)s.") % {"home": home.name}})
    if to_district.pk == case.home_district_id:
        raise ValidationError({"to_district": _("The case is already with this district.")})
    if to_block is not None and to_block.district_id != to_district.pk:
        raise ValidationError({"to_block": _("This block is not in the chosen district.")})
    if case.transfers.filter(kind=TransferKind.DISTRICT, completed_at__isnull=True).exists():
        raise ValidationError(_("A transfer of this case is already waiting for acknowledgment."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    now = timezone.now()
    transfer = Transfer.objects.create(
        case=case,
        kind=TransferKind.DISTRICT,
        from_state=home,
        from_district=case.home_district or case.district,
        to_state=home,
        to_district=to_district,
        reason=reason,
        initiated_by=actor,
        initiated_at=now,
    )
    case.home_district, case.home_block = to_district, to_block
    case.save(update_fields=["home_district", "home_block", "updated_at"])
    _event(case, kind=CaseEvent.Kind.TRANSFER, actor=actor, at=now, reason=reason, transfer=transfer)
    return transfer


@transaction.atomic
def transfer_acknowledge(*, transfer: Transfer, actor, note: str = "") -> Transfer:
    """The home district confirms it has received the case; the transfer stops being pending."""
    if not access.can(actor, "case.acknowledge_transfer"):
        raise PermissionDenied
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    if transfer.kind != TransferKind.DISTRICT:
        raise ValidationError(_("Only a transfer between districts is acknowledged; record the handover instead."))
    if not transfer.is_pending:
        raise ValidationError(_("This transfer has already been acknowledged."))
    if not actor.is_state_wide and actor.district_id != transfer.to_district_id:
        raise ValidationError(_("Only the receiving district can acknowledge the transfer."))
    now = timezone.now()
    transfer.stage = TransferStage.ACKNOWLEDGED
    transfer.acknowledged_by, transfer.acknowledged_at, transfer.completed_at = actor, now, now
    transfer.save(update_fields=["stage", "acknowledged_by", "acknowledged_at", "completed_at"])
    case = transfer.case
    case.responsible_officer = actor
    case.save(update_fields=["responsible_officer", "updated_at"])
    _event(
        case,
        kind=CaseEvent.Kind.TRANSFER,
        actor=actor,
        at=now,
        reason=note or _("Receipt acknowledged by the home district."),
        transfer=transfer,
        stage=transfer.stage,
    )
    return transfer


STEP_FIELDS = {
    TransferStage.ESCORT: ("escort_name", "escort_designation", "escort_phone", "travel_mode"),
    TransferStage.TRAVEL: ("travel_mode",),
    TransferStage.ARRIVED: (),
    TransferStage.HANDED_OVER: ("handed_over_to", "home_cwc"),
}
STEP_TIME = {
    TransferStage.TRAVEL: "travel_started_at",
    TransferStage.ARRIVED: "arrived_at",
    TransferStage.HANDED_OVER: "handed_over_at",
}


@transaction.atomic
def transfer_record_step(*, transfer: Transfer, actor, step: str, at: datetime | None = None, **details) -> Transfer:
    """Record the next step of a repatriation or handover: escort, travel, arrival, handover."""
    if not access.can(actor, "case.transfer"):
        raise PermissionDenied
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    if transfer.kind == TransferKind.DISTRICT:
        raise ValidationError(_("A transfer between districts is completed by the home district's acknowledgment."))
    if step not in transfer.next_steps:
        raise ValidationError({"step": _("This step cannot be recorded now.")})
    at = at or timezone.now()
    earlier = [transfer.initiated_at, transfer.travel_started_at, transfer.arrived_at]
    _check_time(at, not_before=max(t for t in earlier if t), field="at")
    for name in STEP_FIELDS[step]:
        value = details.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            setattr(transfer, name, value)
    if step == TransferStage.ESCORT and not transfer.escort_name:
        raise ValidationError({"escort_name": _("Name the escort.")})
    if step == TransferStage.HANDED_OVER:
        if transfer.kind == TransferKind.REPATRIATION:
            if transfer.home_cwc is None or transfer.home_cwc.kind != Institution.Kind.CWC:
                raise ValidationError({"home_cwc": _("Choose the home district's CWC that received the child.")})
            transfer.handed_over_to = transfer.handed_over_to or transfer.home_cwc.name
        elif not transfer.handed_over_to:
            raise ValidationError({"handed_over_to": _("Name the authority of the home state that took charge.")})
        transfer.completed_at = at
    if step in STEP_TIME:
        setattr(transfer, STEP_TIME[step], at)
    transfer.stage = step
    transfer.save()
    case = transfer.case
    _event(
        case,
        kind=CaseEvent.Kind.TRANSFER,
        actor=actor,
        at=at,
        reason=details.get("note", ""),
        transfer=transfer,
        stage=step,
        **{name: getattr(transfer, name) for name in STEP_FIELDS[step]},
    )
    if step == TransferStage.HANDED_OVER and transfer.kind == TransferKind.REPATRIATION:
        case.cwc = transfer.home_cwc
        case.save(update_fields=["cwc", "updated_at"])
    elif step == TransferStage.HANDED_OVER and transfer.kind == TransferKind.HANDOVER:
        _apply_transition(
            case=case,
            to=S.TRANSFERRED_OUT,
            actor=actor,
            reason=_("Handed over to %(to)s.") % {"to": transfer.handed_over_to},
            at=at,
            details={"transfer": transfer},
        )
    return transfer
