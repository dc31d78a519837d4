"""Registration of a rescue: one operation, a case per child, case numbers, transfers opened, re-rescues linked."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clts.accounts import access
from clts.core import uploads
from clts.core.ages import age_on
from clts.geo.models import District
from clts.orgs.models import Institution
from rescue import candidates, matching
from rescue.models import (
    Case,
    CaseEvent,
    CaseNumberCounter,
    Child,
    Interstate,
    LinkRequest,
    RescueOperation,
    Transfer,
    TransferKind,
)
from rescue.queries import home_state
from rescue.services.links import cases_link, latest_other_case_locked
from rescue.services.workflow import (
    ADULT_AGE,
    PRODUCTION_LIMIT,
    S,
    _apply_transition,
    case_event_record,
    category_for_age,
)


def interstate_of(*, home, rescued_in: int, child_from: int | None) -> str:
    """Whether a case crosses the home state's border: a home-state child rescued in another state (inbound: it is
    numbered in its home district, the rescuing one is not ours), a child of another state rescued here (outbound),
    or neither. Typed and bulk registration both decide it here."""
    if rescued_in != home.pk:
        return Interstate.INBOUND
    if child_from != home.pk:
        return Interstate.OUTBOUND
    return Interstate.NONE


def _next_case_number(district: District, year: int) -> str:
    """BR-GAY-2026-000123: state and district short codes, year of rescue, per-district-and-year counter."""
    return _reserve_case_numbers(district, year, 1)[0]


def _reserve_case_numbers(district: District, year: int, count: int) -> list[str]:
    """The next `count` case numbers of the district and year, in order, under the counter's row lock."""
    if not (district.short_code and district.state.short_code):
        raise ValidationError(
            _("%(district)s has no short code for case numbers; the administrator must set it.")
            % {"district": district.name}
        )
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(district=district, year=year)], ignore_conflicts=True)
    counter = CaseNumberCounter.objects.select_for_update().get(district=district, year=year)
    prefix = f"{district.state.short_code}-{district.short_code}-{year}-"
    numbers: list[str] = []
    while len(numbers) < count:
        wanted = [f"{prefix}{counter.last + i:06d}" for i in range(1, count - len(numbers) + 1)]
        counter.last += len(wanted)
        # A number taken by an import or an earlier numbering is skipped, never reused.
        taken = _taken(wanted)
        numbers.extend(number for number in wanted if number not in taken)
    counter.save(update_fields=["last"])
    return numbers


def _taken(numbers: list[str]) -> set[str]:
    """The numbers already used, looked up in the unique (btree) index: the planner may otherwise choose the case
    number's trigram index, whose pending list a bulk registration fills within its own transaction, so that each
    lookup reads every entry added so far."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        try:
            return set(Case.objects.filter(case_number__in=numbers).values_list("case_number", flat=True))
        finally:
            cursor.execute("RESET enable_bitmapscan")


def _age_on(child: dict, on) -> int | None:
    """The age on the day of rescue of a child as typed: the date of birth decides when given."""
    return age_on(on, born=child.get("date_of_birth"), age=child.get("age_years"))


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
    home_block = child.get("home_block")
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
        home_block_id=home_block.pk if home_block else None,
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
    elif cwc is not None and state == home and data.get("district") and cwc.district_id != data["district"].pk:
        errors.add("rescue.cwc", _("Choose a CWC of the district where the rescue took place."))
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
    if child.get("photo"):
        # The one upload policy: JPEG or PNG by content, re-encoded without metadata, stored under a random name.
        try:
            child["photo"] = uploads.accept(child["photo"], kind=uploads.PHOTO)
        except ValidationError as error:
            for message in error.messages:
                errors.add(key + "photo", message)
    hours = child.get("hours_per_day")
    if hours is not None and hours > 24:
        errors.add(key + "hours_per_day", _("A day has 24 hours."))


def _validate_match(n: int, child: dict, rescue: dict, actor, errors: _Errors) -> None:
    """The officer's choice among the earlier records that may be this child (bulk import decides duplicates in
    one pass over the whole file instead)."""
    key = f"children.{n}."
    rescued_at = rescue.get("rescued_at")
    on = timezone.localdate(rescued_at) if rescued_at else timezone.localdate()
    age = _age_on(child, on)
    if not (child.get("name") and age is not None and age < ADULT_AGE):
        return
    # An earlier record of the same child must be linked, or the officer must say it is another child.
    particulars = particulars_of(child, on=on)
    found = candidates.candidates_for(particulars=particulars, user=actor, limit=10)
    choice_value = (child.get("match") or "").strip()
    choice = None
    if child.get("link_child") is not None or candidates.is_token(choice_value):
        # The choice is found again among the server's own answers: a record id or token from elsewhere is refused.
        choice = candidates.chosen(found, token=choice_value, child=child.get("link_child"))
        if choice is None:
            errors.add(key + "match", _("The earlier record chosen does not match this child; search again."))
    elif choice_value not in ("", "new"):
        errors.add(key + "match", _("Choose one of the earlier records shown, or a different child."))
    elif choice_value != "new" and not child.get("confirmed_new") and any(c.is_strong for c in found):
        errors.add(
            key + "match",
            _("Earlier records look like this child: choose the right one, or confirm that this is a different child."),
        )
    # Only a record the officer may change is linked now; any other choice asks the district that holds it.
    child["link_child"] = choice.child if choice and choice.linkable else None
    child["link_request"] = choice if choice and not choice.linkable else None


def _check(*, actor, home, rescue_data: dict, production: dict, children_data: list[dict]) -> None:
    errors = _Errors()
    _validate_rescue(rescue_data, production, home, errors)
    if not children_data:
        errors.add("rescue.__all__", _("Add at least one child."))
    for n, child in enumerate(children_data):
        _validate_child(n, child, rescue_data, home, actor, errors)
        _validate_match(n, child, rescue_data, actor, errors)
    errors.raise_if_any()


def rescue_check(*, actor, rescue_data: dict, children_data: list[dict]) -> dict[str, list[str]]:
    """The registration's own checks on what could be read of a form that has errors of its own, so the officer
    sees every error in one round: {"rescue.<field>" | "children.<n>.<field>": [messages]}. Writes nothing; a
    field the form could not read is simply absent, and its own error stands."""
    rescue_data = dict(rescue_data)
    production = {
        "cwc": rescue_data.pop("cwc", None),
        "produced_at": rescue_data.pop("produced_at", None),
        "late_reason": (rescue_data.pop("late_reason", "") or "").strip(),
    }
    try:
        _check(
            actor=actor,
            home=home_state(),
            rescue_data=rescue_data,
            production=production,
            children_data=[dict(child) for child in children_data],
        )
    except ValidationError as error:
        return error.message_dict
    return {}


@transaction.atomic
def rescue_register(*, actor, rescue_data: dict, children_data: list[dict]) -> RescueOperation:
    """Register one rescue operation and a case for each child rescued in it.

    `rescue_data`: RescueOperation fields, plus `cwc`, `produced_at`, `late_reason` when the children have been
    produced before a CWC. `children_data`: one dict per child with Child fields, the case's work details
    (CASE_FIELDS), `aadhaar` (the full number, kept only as last four digits and a keyed hash), and either
    the officer's choice among the earlier records that may be this child: `match` (the token of a candidate from
    rescue.candidates, or "new") or `link_child` (an earlier Child record), or `confirmed_new`. A chosen record the
    officer may change is linked; any other files a link request to the district holding it, and nothing is
    written on it.
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
    _check(actor=actor, home=home, rescue_data=rescue_data, production=production, children_data=children_data)

    rescue = RescueOperation.objects.create(
        **{name: rescue_data[name] for name in RESCUE_FIELDS if name in rescue_data}, created_by=actor
    )
    for n, child_data in enumerate(children_data):
        case = _register_child(rescue=rescue, child_data=child_data, production=production, home=home, actor=actor)
        if not Case.objects.writable_by(actor).filter(pk=case.pk).exists():
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

    interstate = interstate_of(home=home, rescued_in=rescue.state_id, child_from=child.home_state_id)
    number_district = child.home_district if interstate == Interstate.INBOUND else rescue.district
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
    case_event_record(case, kind=CaseEvent.Kind.REGISTERED, actor=actor, at=timezone.now(), rescue=rescue.pk)
    _open_transfer_if_needed(case=case, rescue=rescue, child=child, home=home, actor=actor)
    if production["produced_at"]:
        _apply_transition(
            case=case,
            to=S.PRODUCED,
            actor=actor,
            reason=gettext_lazy("Produced before the Committee (recorded at registration)."),
            at=production["produced_at"],
            details={"cwc": production["cwc"], "late_reason": production["late_reason"]},
        )
    if linked is not None:
        _link_rescued_again(case=case, actor=actor)
    elif child_data.get("link_request") is not None:
        _file_link_request(case=case, candidate=child_data["link_request"], actor=actor)
    return case


def _file_link_request(*, case: Case, candidate: candidates.Candidate, actor) -> LinkRequest:
    """Ask the district holding a possible earlier record to decide; the new case says only that it asked."""
    now = timezone.now()
    request = LinkRequest.objects.create(
        new_case=case,
        earlier_child=candidate.child,
        earlier_case=candidate.latest_case,
        strength=candidate.strength,
        score=candidate.score,
        filed_by=actor,
        filed_at=now,
    )
    case_event_record(
        case,
        kind=CaseEvent.Kind.LINK_REQUESTED,
        actor=actor,
        at=now,
        reason=gettext_lazy(
            "A possible earlier record of this child is held in another area; its district was asked to decide."
        ),
        link_request=request,
    )
    return request


def _open_transfer_if_needed(*, case: Case, rescue: RescueOperation, child: Child, home, actor) -> None:
    now = timezone.now()
    transfer = _transfer_for(case=case, rescue=rescue, child=child, home=home)
    if transfer is None:
        return
    transfer.case, transfer.initiated_by, transfer.initiated_at = case, actor, now
    transfer.reason = _("Opened at registration: the child's home is elsewhere.")
    transfer.save()
    case_event_record(
        case, kind=CaseEvent.Kind.TRANSFER, actor=actor, at=now, reason=transfer.reason, transfer=transfer
    )


def _transfer_for(*, case: Case, rescue: RescueOperation, child: Child, home) -> Transfer | None:
    """The transfer a new case needs when the child's home is in another district or state, or None."""
    if case.interstate == Interstate.INBOUND:
        return Transfer(
            kind=TransferKind.REPATRIATION, from_state=rescue.state, to_state=home, to_district=case.home_district
        )
    if case.interstate == Interstate.OUTBOUND:
        return Transfer(
            kind=TransferKind.HANDOVER, from_state=home, from_district=case.district, to_state=child.home_state
        )
    if case.home_district_id and case.home_district_id != case.district_id:
        return Transfer(
            kind=TransferKind.DISTRICT,
            from_state=home,
            from_district=case.district,
            to_state=home,
            to_district=case.home_district,
        )
    return None


def _link_rescued_again(*, case: Case, actor) -> None:
    """Link a new case to the child's previous one (the officer may change it: the candidate was linkable)."""
    previous = latest_other_case_locked(child_id=case.child_id, besides=case)
    if previous is not None:
        cases_link(case=case, previous=previous, actor=actor)
