"""Registration of many rescued children at once (bulk import of legacy registers), under the typed form's rules.

Each row is one child rescued in one operation, given as `rescue_register` takes them: the operation's fields
(with `cwc`, `produced_at`, `late_reason`) and the child's. Every row is checked by the same functions as a typed
registration (`_validate_rescue`, `_validate_child`); case numbers come from the same per-district counter, in
blocks; the case starts "rescued", moves to "produced" with its timeline event when a production is recorded, and
gets the transfer a typed registration opens. What differs is only how it is written: in bulk, a few queries per
thousand rows instead of a dozen per child, each table's rows sent by COPY (`clts.core.copying.copy_insert`, ids
from the table's sequence) rather than compiled into INSERTs. The audit trail's statement-level triggers record
every row of each COPY with the acting user and the import as context, as they record a typed registration.
Whether a row is a child already in CLTS is decided by the importer over the whole file before this is called (a
typed form asks the officer instead): a row may carry `earlier` (a rescue.earlier.Earlier, a strong earlier record
found by the matching engine), and then a link request is filed for the district holding it to decide, as a typed
registration does for a record the officer may not change.
The new children's blocking keys are written for the matching engine, as Child.save writes them for one child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core.copying import copy_insert
from rescue import matching
from rescue.choices import LinkStrength
from rescue.earlier import keys_write
from rescue.models import Case, CaseEvent, Child, Interstate, LinkRequest, RescueOperation, Transfer
from rescue.queries import home_state
from rescue.services.registration import (
    _NULLABLE,
    CASE_FIELDS,
    CHILD_FIELDS,
    RESCUE_FIELDS,
    _age_on,
    _Errors,
    _reserve_case_numbers,
    _transfer_for,
    _validate_child,
    _validate_rescue,
)
from rescue.services.workflow import PRODUCTION_LIMIT, S, _json, category_for_age

CHUNK = 2000


def _split(row: dict) -> tuple[dict, dict, dict]:
    """(rescue fields, production, child fields) of one row, as rescue_register separates them."""
    rescue = {name: row[name] for name in RESCUE_FIELDS if name in row}
    production = {
        "cwc": row.get("cwc"),
        "produced_at": row.get("produced_at"),
        "late_reason": (row.get("late_reason") or "").strip(),
    }
    child = {name: value for name, value in row.items() if name not in RESCUE_FIELDS}
    return rescue, production, child


def rescue_rows_check(*, actor, rows: list[dict]) -> dict[int, dict[str, list[str]]]:
    """The errors of each row (by index), keyed like rescue_register's: "rescue.<field>", "children.0.<field>"."""
    return _check([_split(row) for row in rows], actor=actor, home=home_state())


def _check(parts: list[tuple[dict, dict, dict]], *, actor, home) -> dict[int, dict[str, list[str]]]:
    # The validators settle some fields as they check (a rescue in another state has no district of ours).
    found: dict[int, dict[str, list[str]]] = {}
    for index, (rescue, production, child) in enumerate(parts):
        errors = _Errors()
        _validate_rescue(rescue, production, home, errors)
        _validate_child(0, child, rescue, home, actor, errors)
        if errors.items:
            found[index] = errors.items
    return found


@transaction.atomic
def rescue_register_rows(*, actor, rows: list[dict], progress: Callable[[int], None] | None = None) -> list[int]:
    """Register one rescue operation and one case per row; all rows or none. Returns the new cases' ids in order.

    Raises ValidationError({"<row index>.<key>": [messages]}) when any row breaks a rule, PermissionDenied when a
    case would fall outside what the actor may change; nothing is written then.
    """
    if not access.can(actor, "rescue.register"):
        raise PermissionDenied
    home = home_state()
    parts = [_split(row) for row in rows]
    problems = _check(parts, actor=actor, home=home)
    if problems:
        raise ValidationError(
            {f"{index}.{key}": messages for index, keys in problems.items() for key, messages in keys.items()}
        )
    case_ids: list[int] = []
    for start in range(0, len(parts), CHUNK):
        case_ids.extend(_write_chunk(parts[start : start + CHUNK], home=home, actor=actor))
        if progress:
            progress(min(start + CHUNK, len(parts)))
    writable = Case.objects.writable_by(actor).filter(pk__in=case_ids).count()
    if writable != len(case_ids):
        raise PermissionDenied(_("You can register only rescues in your area, or children whose home is in your area."))
    return case_ids


def _write_chunk(parts: list[tuple[dict, dict, dict]], *, home, actor) -> list[int]:
    now = timezone.now()
    zone = timezone.get_current_timezone()  # once, not per row (a thread-local lookup each time)
    operations = copy_insert([RescueOperation(created_by=actor, **rescue) for rescue, _production, _child in parts])
    children = copy_insert([_new_child(child, rescue, zone) for rescue, _production, child in parts])

    cases: list[Case] = []
    for operation, child, (_rescue, production, child_data) in zip(operations, children, parts, strict=True):
        on = timezone.localdate(operation.rescued_at, zone)
        age = child.age_years
        if operation.state_id != home.pk:
            interstate, number_district = Interstate.INBOUND, child.home_district
        elif child.home_state_id != home.pk:
            interstate, number_district = Interstate.OUTBOUND, operation.district
        else:
            interstate, number_district = Interstate.NONE, operation.district
        case = Case(
            child=child,
            rescue=operation,
            category=category_for_age(age),
            age_at_rescue=age,
            rescued_on=on,
            district=operation.district,
            block=operation.block,
            home_district=child.home_district,
            home_block=child.home_block,
            interstate=interstate,
            status=S.RESCUED,
            status_changed_at=operation.rescued_at,
            cwc=production["cwc"] if interstate != Interstate.INBOUND else None,
            responsible_officer=actor,
            created_by=actor,
            **{name: child_data[name] for name in CASE_FIELDS if child_data.get(name) is not None},
        )
        case._number_district = number_district
        cases.append(case)
    _number(cases)

    events: list[CaseEvent] = []
    for case, operation, (_rescue, production, _child) in zip(cases, operations, parts, strict=True):
        events.append(
            CaseEvent(case=case, kind=CaseEvent.Kind.REGISTERED, actor=actor, at=now, data={"rescue": operation.pk})
        )
        produced_at: datetime | None = production["produced_at"]
        if produced_at:
            late = produced_at - operation.rescued_at > PRODUCTION_LIMIT
            case.status, case.status_changed_at = S.PRODUCED, produced_at
            case.produced_at, case.production_late = produced_at, late
            case.late_reason = production["late_reason"] if late else ""
            details = {"cwc": case.cwc, "late": late, "late_reason": case.late_reason}
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.TRANSITION,
                    actor=actor,
                    at=produced_at,
                    reason=_("Produced before the Committee (recorded at registration)."),
                    from_status=S.RESCUED,
                    to_status=S.PRODUCED,
                    data={key: _json(value) for key, value in details.items() if value not in (None, "")},
                )
            )
    copy_insert(cases)

    transfers: list[Transfer] = []
    for case, operation, child in zip(cases, operations, children, strict=True):
        transfer = _transfer_for(case=case, rescue=operation, child=child, home=home)
        if transfer is not None:
            transfer.case, transfer.initiated_by, transfer.initiated_at = case, actor, now
            transfer.reason = _("Opened at registration: the child's home is elsewhere.")
            transfers.append(transfer)
    copy_insert(transfers)
    for transfer in transfers:
        events.append(
            CaseEvent(
                case=transfer.case,
                kind=CaseEvent.Kind.TRANSFER,
                actor=actor,
                at=now,
                reason=transfer.reason,
                data={"transfer": transfer.pk},
            )
        )
    requests = []
    for case, (_rescue, _production, child_data) in zip(cases, parts, strict=True):
        earlier = child_data.get("earlier")
        if earlier is not None and earlier.case_id:
            requests.append(
                LinkRequest(
                    new_case=case,
                    earlier_child_id=earlier.child_id,
                    earlier_case_id=earlier.case_id,
                    strength=LinkStrength.STRONG,
                    score=round(100 * earlier.probability, 1),
                    filed_by=actor,
                    filed_at=now,
                )
            )
    copy_insert(requests)
    for request in requests:
        events.append(
            CaseEvent(
                case=request.new_case,
                kind=CaseEvent.Kind.LINK_REQUESTED,
                actor=actor,
                at=now,
                reason=_(
                    "A possible earlier record of this child is held in another area; its district was asked to decide."
                ),
                data={"link_request": request.pk},
            )
        )
    for event in events:
        event.case_id = event.case.pk
    copy_insert(events)
    keys_write(cases)
    return [case.pk for case in cases]


def _new_child(child_data: dict, rescue: dict, zone) -> Child:
    on = timezone.localdate(rescue["rescued_at"], zone)
    values = {}
    for name in CHILD_FIELDS:
        if name in child_data:
            value = child_data[name]
            values[name] = "" if value is None and name not in _NULLABLE else value
    aadhaar = (child_data.get("aadhaar") or "").replace(" ", "")
    if aadhaar:
        values |= {"aadhaar_last4": aadhaar[-4:], "aadhaar_hash": matching.aadhaar_hash(aadhaar)}
    values["age_years"] = _age_on(child_data, on)
    child = Child(**values)
    # bulk_create does not call save(): the matching keys are set as Child.save sets them (an importer that has
    # computed them with the same function for its duplicate checks passes them in `name_key`, `guardian_key`).
    child.name_key = child_data.get("name_key") or matching.name_key(child.name, child.alias)
    child.guardian_key = child_data.get("guardian_key") or matching.name_key(
        child.father_name, child.mother_name, child.guardian_name
    )
    return child


def _number(cases: list[Case]) -> None:
    """Case numbers from the per-district-and-year counter, one reservation per district and year."""
    wanted: dict[tuple, list[Case]] = defaultdict(list)
    for case in cases:
        wanted[(case._number_district.pk, case.rescued_on.year)].append(case)
    for (_district_id, year), group in sorted(wanted.items(), key=lambda item: item[0]):
        numbers = _reserve_case_numbers(group[0]._number_district, year, len(group))
        for case, number in zip(group, numbers, strict=True):
            case.case_number = number
