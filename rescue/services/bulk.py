"""Registration of many rescued children at once (bulk import of legacy registers), under the typed form's rules.

Each row is one child rescued in one operation, given as `rescue_register` takes them: the operation's fields
(with `cwc`, `produced_at`, `late_reason`) and the child's. Every row is checked by the same functions as a typed
registration (`_validate_rescue`, `_validate_child`); case numbers come from the same per-district counter, in
blocks; the case starts "rescued", moves to "produced" with its timeline event when a production is recorded, and
gets the transfer a typed registration opens. What differs is only how it is written: in bulk, a few queries per
thousand rows instead of a dozen per child, each table's rows sent by COPY (`clts.core.copying.copy_statement`, ids
from the table's sequence; sent by a thread of their own while the next chunk is built) rather than compiled into
INSERTs. The audit trail's statement-level triggers record every row of each COPY with the acting user and the
import as context, as they record a typed registration.
Whether a row is a child already in CLTS is decided by the importer over the whole file before this is called (a
typed form asks the officer instead): a row may carry `earlier` (a rescue.earlier.Earlier, a strong earlier record
found by the matching engine), and then a link request is filed for the district holding it to decide, as a typed
registration does for a record the officer may not change.
The new children's blocking keys are written for the matching engine, as Child.save writes them for one child; on a
second connection when the caller opened one (clts.core.copying.side_copies), committed right after the rest, while
this connection checks the rows' foreign keys.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from functools import cache
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core.collecting import collection_paused
from clts.core.copying import CopySender, copy_statement, side_copy
from clts.matching import keys
from clts.matching.records import Record
from rescue import match_records, matching
from rescue.choices import LinkStrength
from rescue.earlier import keys_copy
from rescue.matching import record_of
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
    interstate_of,
    particulars_of,
)
from rescue.services.workflow import PRODUCTION_LIMIT, S, _json, category_for_age

CHUNK = 2000
_RESCUE_NAMES = frozenset(RESCUE_FIELDS)


def _split(row: dict) -> tuple[dict, dict, dict]:
    """(rescue fields, production, child fields) of one row, as rescue_register separates them."""
    rescue = {name: row[name] for name in RESCUE_FIELDS if name in row}
    production = {
        "cwc": row.get("cwc"),
        "produced_at": row.get("produced_at"),
        "late_reason": (row.get("late_reason") or "").strip(),
    }
    child = {name: value for name, value in row.items() if name not in _RESCUE_NAMES}
    return rescue, production, child


def rescue_rows_check(
    *, actor, rows: list[dict], keys_found: dict[int, tuple[Record, set[int], array]] | None = None
) -> dict[int, dict[str, list[str]]]:
    """The errors of each row (by index), keyed like rescue_register's: "rescue.<field>", "children.0.<field>".

    Given `keys_found`, each valid row's matching keys (what `rescue_rows_keys` answers) are put in it by index,
    worked out from the row as this check settled it: an importer need not split and validate every row again."""
    parts = [_split(row) for row in rows]
    typed = [dict(child) for _rescue, _production, child in parts] if keys_found is not None else []
    found = _check(parts, actor=actor, home=home_state())
    if keys_found is not None:
        zone, names = timezone.get_current_timezone(), _attnames(Child)
        for index, (part, child) in enumerate(zip(parts, typed, strict=True)):
            if index not in found:
                keys_found[index] = _keys_of(child, part, zone, names)
    return found


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


def rescue_rows_keys(rows: list[dict]) -> list[tuple[Record, set[int], array]]:
    """For each (valid) row: the matching engine's record of the child as typed, the blocking keys to look it up by,
    and the keys its new child will be stored under (`keys_copy`), each key hashed once. An importer passes the
    stored keys back in the row's `match_keys`, so the write does not work them out again."""
    zone = timezone.get_current_timezone()
    names = _attnames(Child)
    home = home_state()
    found = []
    for row in rows:
        part = rescue, production, child_data = _split(row)
        typed = dict(child_data)
        # The child as the write will store it: the validators settle some fields (a home in another state has no
        # district of ours), as they do in rescue_register_rows.
        _validate_rescue(rescue, production, home, _Errors())
        _validate_child(0, child_data, rescue, home, None, _Errors())
        found.append(_keys_of(typed, part, zone, names))
    return found


def _keys_of(typed: dict, part: tuple[dict, dict, dict], zone, names) -> tuple[Record, set[int], array]:
    """One row's record as typed (`typed`: its child fields before the validators settled them), the keys to look
    it up by, and the keys of its new child as the write will store it (from the settled `part`)."""
    rescue, _production, child_data = part
    on = timezone.localdate(rescue["rescued_at"], zone)
    query = record_of(particulars_of(typed, on=on))
    child = _by_attname(_new_child(child_data, rescue, zone), names)
    stored = match_records.written_record(child, {"age_at_rescue": child["age_years"], "rescued_on": on})
    looked_up, kept = keys.query_and_record_keys(query, stored)
    return query, looked_up, array("q", kept)


@transaction.atomic
def rescue_register_rows(*, actor, rows: list[dict], progress: Callable[[int], None] | None = None) -> list[int]:
    """Register one rescue operation and one case per row; all rows or none. Returns the new cases' ids in order.

    Raises ValidationError({"<row index>.<key>": [messages]}) when any row breaks a rule, PermissionDenied when a
    case would fall outside what the actor may change; nothing is written then.
    """
    if not access.can(actor, "rescue.register"):
        raise PermissionDenied
    # The rows split (three dicts a row) live until the write ends, none of them garbage: no collection pass while
    # the write runs (full passes walked them again and again: 4.6 s of a 100,000-row commit's 53 s of CPU).
    with collection_paused():
        return _register_rows(actor=actor, rows=rows, progress=progress)


def _register_rows(*, actor, rows: list[dict], progress: Callable[[int], None] | None) -> list[int]:
    home = home_state()
    # With a second connection open (clts.core.copying.side_copies) and every row's keys worked out already (an
    # importer's `match_keys`), the children's blocking keys go to it after the write (their COPYs made with each
    # chunk, kept aside); otherwise they go with each chunk.
    keys_aside = side_copy() is not None and bool(rows) and all(row.get("match_keys") is not None for row in rows)
    aside: list[tuple[str, str]] | None = [] if keys_aside else None
    parts = [_split(row) for row in rows]
    problems = _check(parts, actor=actor, home=home)
    if problems:
        raise ValidationError(
            {f"{index}.{key}": messages for index, keys in problems.items() for key, messages in keys.items()}
        )
    # Every case number before the first COPY: a reservation is a few statements per district and year, and each
    # would wait for the COPY in progress if made chunk by chunk.
    numbers = _numbers(parts, home=home)
    case_ids: list[int] = []
    # PostgreSQL takes each chunk's COPYs while the next chunk is built (CopySender): the commit then takes about
    # the longer of the two rather than their sum. One transaction still: all rows or none.
    with CopySender() as sender:
        for start in range(0, len(parts), CHUNK):
            chunk = parts[start : start + CHUNK]
            numbered = numbers[start : start + CHUNK]
            case_ids.extend(_write_chunk(chunk, numbered, home=home, actor=actor, sender=sender, aside=aside))
            if progress:
                progress(min(start + CHUNK, len(parts)))
    if aside is not None:
        # The keys go to the second backend now, and this backend checks the rows' foreign keys now rather than at
        # COMMIT (the same checks, some 30 a row): each backend on a core of its own, where the checks at COMMIT left
        # the other core idle.
        side_copy().send(aside)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    writable = Case.objects.writable_by(actor).filter(pk__in=case_ids).count()
    if writable != len(case_ids):
        raise PermissionDenied(_("You can register only rescues in your area, or children whose home is in your area."))
    side = side_copy()
    if side is not None:
        side.finish()  # a failed COPY of keys fails this transaction too
    return case_ids


@cache
def _attnames(model) -> dict[str, tuple[str, bool]]:
    """Field name -> (attname, is a relation): a row's values by field name become COPY values by column."""
    return {field.name: (field.attname, field.is_relation) for field in model._meta.concrete_fields}


def _by_attname(values: dict, names: dict[str, tuple[str, bool]]) -> dict:
    out = {}
    for name, value in values.items():
        attname, relation = names[name]
        out[attname] = value.pk if relation and value is not None else value
    return out


def _write_chunk(
    parts: list[tuple[dict, dict, dict]],
    numbers: list[str],
    *,
    home,
    actor,
    sender: CopySender,
    aside: list[tuple[str, str]] | None,
) -> list[int]:
    """One chunk's rows, each table's in one COPY of plain values (no model instance per row: building them cost
    as much as the rest of the write). The values are the ones a typed registration gives the same fields. The ids
    are drawn here (by the sender's own connection); the COPYs, in the order of the tables' foreign keys, are sent
    at the end. The children's blocking keys go with them, or in `aside` when given (the caller sends them to the
    second connection after the write). Returns the cases' ids."""
    batch: list[tuple[str, str]] = []
    now = timezone.now()
    zone = timezone.get_current_timezone()  # once, not per row (a thread-local lookup each time)
    operation_names, child_names = _attnames(RescueOperation), _attnames(Child)
    operations = [_by_attname(rescue, operation_names) | {"created_by_id": actor.pk} for rescue, _p, _c in parts]
    batch.append(copy_statement(RescueOperation, operations, draw=sender.next_ids))
    children = [_by_attname(_new_child(child, rescue, zone), child_names) for rescue, _p, child in parts]
    batch.append(copy_statement(Child, children, draw=sender.next_ids))

    cases: list[dict] = []
    for operation, child, number, (rescue, production, child_data) in zip(
        operations, children, numbers, parts, strict=True
    ):
        on = timezone.localdate(rescue["rescued_at"], zone)
        age = child["age_years"]
        interstate, _numbered_in = _jurisdiction(rescue, child_data, home)
        cwc = production["cwc"]
        case = {
            "case_number": number,
            "child_id": child["id"],
            "rescue_id": operation["id"],
            "category": category_for_age(age),
            "age_at_rescue": age,
            "rescued_on": on,
            "district_id": operation.get("district_id"),
            "block_id": operation.get("block_id"),
            "home_district_id": child.get("home_district_id"),
            "home_block_id": child.get("home_block_id"),
            "interstate": interstate,
            "status": S.RESCUED,
            "status_changed_at": rescue["rescued_at"],
            "cwc_id": cwc.pk if cwc is not None and interstate != Interstate.INBOUND else None,
            "responsible_officer_id": actor.pk,
            "created_by_id": actor.pk,
            **{name: child_data[name] for name in CASE_FIELDS if child_data.get(name) is not None},
        }
        cases.append(case)

    events: list[dict] = []
    for case, operation, (_rescue, production, _child) in zip(cases, operations, parts, strict=True):
        events.append(
            {"case": case, "kind": CaseEvent.Kind.REGISTERED, "actor_id": actor.pk, "at": now,
             "data": {"rescue": operation["id"]}}
        )  # fmt: skip
        produced_at: datetime | None = production["produced_at"]
        if produced_at:
            late = produced_at - operation["rescued_at"] > PRODUCTION_LIMIT
            case["status"], case["status_changed_at"] = S.PRODUCED, produced_at
            case["produced_at"], case["production_late"] = produced_at, late
            case["late_reason"] = production["late_reason"] if late else ""
            details = {"cwc": production["cwc"] if case["cwc_id"] else None, "late": late,
                       "late_reason": case["late_reason"]}  # fmt: skip
            events.append(
                {
                    "case": case,
                    "kind": CaseEvent.Kind.TRANSITION,
                    "actor_id": actor.pk,
                    "at": produced_at,
                    "reason": _("Produced before the Committee (recorded at registration)."),
                    "from_status": S.RESCUED,
                    "to_status": S.PRODUCED,
                    "data": {key: _json(value) for key, value in details.items() if value not in (None, "")},
                }
            )
    batch.append(copy_statement(Case, cases, draw=sender.next_ids))

    transfers: list[Transfer] = []
    transfer_cases: list[dict] = []
    for case, (rescue, _production, child_data) in zip(cases, parts, strict=True):
        # The typed registration's own rule (_transfer_for), given the case as it reads it.
        view = SimpleNamespace(
            interstate=case["interstate"],
            district=rescue.get("district"),
            district_id=case["district_id"],
            home_district=child_data.get("home_district"),
            home_district_id=case["home_district_id"],
        )
        transfer = _transfer_for(
            case=view, rescue=SimpleNamespace(state=rescue["state"]),
            child=SimpleNamespace(home_state=child_data.get("home_state")), home=home,
        )  # fmt: skip
        if transfer is not None:
            transfer.case_id, transfer.initiated_by, transfer.initiated_at = case["id"], actor, now
            transfer.reason = _("Opened at registration: the child's home is elsewhere.")
            transfers.append(transfer)
            transfer_cases.append(case)
    _copy_instances(transfers, batch, sender)
    for transfer, case in zip(transfers, transfer_cases, strict=True):
        events.append(
            {"case": case, "kind": CaseEvent.Kind.TRANSFER, "actor_id": actor.pk, "at": now,
             "reason": transfer.reason, "data": {"transfer": transfer.pk}}
        )  # fmt: skip
    requests = []
    request_cases: list[dict] = []
    for case, (_rescue, _production, child_data) in zip(cases, parts, strict=True):
        earlier = child_data.get("earlier")
        if earlier is not None and earlier.case_id:
            requests.append(
                LinkRequest(
                    new_case_id=case["id"],
                    earlier_child_id=earlier.child_id,
                    earlier_case_id=earlier.case_id,
                    strength=LinkStrength.STRONG,
                    score=round(100 * earlier.probability, 1),
                    filed_by=actor,
                    filed_at=now,
                )
            )
            request_cases.append(case)
    _copy_instances(requests, batch, sender)
    for request, case in zip(requests, request_cases, strict=True):
        events.append(
            {
                "case": case,
                "kind": CaseEvent.Kind.LINK_REQUESTED,
                "actor_id": actor.pk,
                "at": now,
                "reason": _(
                    "A possible earlier record of this child is held in another area; its district was asked to decide."
                ),
                "data": {"link_request": request.pk},
            }
        )
    for event in events:
        event["case_id"] = event.pop("case")["id"]
    batch.append(copy_statement(CaseEvent, events, draw=sender.next_ids))
    # The keys' COPY is made here, while PostgreSQL takes the chunk before (this thread has time to spare then).
    keys = keys_copy(
        [
            (child, case, child_data.get("match_keys"))
            for child, case, (_r, _p, child_data) in zip(children, cases, parts, strict=True)
        ]
    )
    if keys is not None:
        (batch if aside is None else aside).append(keys)
    sender.send(batch)
    return [case["id"] for case in cases]


def _copy_instances(objs: list, batch: list[tuple[str, str]], sender: CopySender) -> None:
    """Unsaved instances of one model as a COPY in `batch`, their ids drawn and set now (what copy_insert does)."""
    if not objs:
        return
    rows = []
    for obj in objs:
        rows.append(
            {
                field.attname: getattr(obj, field.attname)
                for field in obj._meta.concrete_fields
                # Left out: the id (drawn) and the fields that set themselves (the time of the COPY, as pre_save).
                if not field.primary_key
                and not getattr(field, "auto_now", False)
                and not getattr(field, "auto_now_add", False)
            }
        )
    batch.append(copy_statement(type(objs[0]), rows, draw=sender.next_ids))
    for obj, row in zip(objs, rows, strict=True):
        obj.pk = row["id"]


def _new_child(child_data: dict, rescue: dict, zone) -> dict:
    """The new child's fields (by name), as a typed registration sets them."""
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
    # Child.save is not called: the matching keys are set as it sets them (an importer that has computed them with
    # the same function for its duplicate checks passes them in `name_key`, `guardian_key`).
    values["name_key"] = child_data.get("name_key") or matching.name_key(
        values.get("name") or "", values.get("alias") or ""
    )
    values["guardian_key"] = child_data.get("guardian_key") or matching.name_key(
        values.get("father_name") or "", values.get("mother_name") or "", values.get("guardian_name") or ""
    )
    return values


def _jurisdiction(rescue: dict, child_data: dict, home) -> tuple[str, object]:
    """(interstate, the district the case is numbered in) of a checked row, as a typed registration decides them."""
    home_state = child_data.get("home_state")
    interstate = interstate_of(
        home=home, rescued_in=rescue["state"].pk, child_from=home_state.pk if home_state is not None else None
    )
    return interstate, child_data.get("home_district") if interstate == Interstate.INBOUND else rescue.get("district")


def _numbers(parts: list[tuple[dict, dict, dict]], *, home) -> list[str]:
    """Each row's case number from the per-district-and-year counter, one reservation per district and year (the
    rows of a group numbered in their order, as chunk by chunk)."""
    zone = timezone.get_current_timezone()
    wanted: dict[tuple, list[int]] = defaultdict(list)
    by_id = {}
    for position, (rescue, _production, child_data) in enumerate(parts):
        _interstate, district = _jurisdiction(rescue, child_data, home)
        wanted[(district.pk, timezone.localdate(rescue["rescued_at"], zone).year)].append(position)
        by_id[district.pk] = district
    numbers: list[str] = [""] * len(parts)
    for (district_id, year), positions in sorted(wanted.items(), key=lambda item: item[0]):
        for position, number in zip(
            positions, _reserve_case_numbers(by_id[district_id], year, len(positions)), strict=True
        ):
            numbers[position] = number
    return numbers
