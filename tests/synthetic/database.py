"""The synthetic registry written into the database, quickly, for tests: a rescue, a child and a case per record.

    written = write_registry(registry.records)          # 25,000 records in a few seconds
    written.child_pk(record), written.record_id(child_pk)

Rows go in by COPY, with the audit triggers off for this load only (pghistory would write a history row per row;
the rows are synthetic and made consistent here). Every concrete column of the three models is written, from the
record where it has one and from the field's default otherwise, so a column added later with a default needs no
change here. Districts and blocks are found by LGD code (`load_lgd` is run when Bihar's are missing), falling back to
the English name for districts a test made without a code. Case numbers carry eight digits starting with 9
(BR-GAY-2024-90000123), which the case-number counter (six digits a district and year) never issues.

Matching keys (`Child.name_key`, `guardian_key`) are computed as `Child.save` computes them. An engine with its
own tables (blocking keys, term frequencies) builds them after the write, as it would after an import.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.management import call_command
from django.db import connection, models, transaction

from clts.core.identifiers import identifier_hash
from clts.geo.models import Block, District, State
from rescue.models import Case, Child, RescueOperation
from tests.synthetic.registry import ChildRecord

CASE_NUMBER_BASE = 90_000_000
HOME_STATE_CODE = 10  # Bihar (clts/geo/data/states.csv)
INDUSTRIES = ("brick_kiln", "hotel_dhaba", "domestic", "garment", "agriculture", "construction", "shop", "factory")
STATUSES = (("follow_up", 50), ("closed", 30), ("rehabilitation", 20))


@dataclass(frozen=True)
class Written:
    """Where the records went: child primary key = record id + child_offset (cases and rescues likewise)."""

    child_offset: int
    count: int

    def child_pk(self, record: ChildRecord | int) -> int:
        return (record if isinstance(record, int) else record.id) + self.child_offset

    def record_id(self, child_pk: int) -> int:
        return child_pk - self.child_offset


def _places() -> tuple[State, dict[int, int], dict[int, District], dict[int, int]]:
    if District.objects.filter(state__lgd_code=HOME_STATE_CODE, lgd_code__isnull=False).count() < 38:
        call_command("load_lgd", verbosity=0, stdout=io.StringIO())
    home = State.objects.get(lgd_code=HOME_STATE_CODE)
    districts = {d.lgd_code: d for d in District.objects.filter(state=home, lgd_code__isnull=False)}
    by_code = {code: district.pk for code, district in districts.items()}
    blocks = dict(Block.objects.filter(district__state=home, lgd_code__isnull=False).values_list("lgd_code", "pk"))
    return home, by_code, districts, blocks


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        return "{" + ",".join(value) + "}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _copy(cursor, model: type[models.Model], rows: list[dict]) -> None:
    """COPY rows into the model's table; columns a row does not name get the field's default."""
    fields = model._meta.concrete_fields
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    defaults = {}
    for model_field in fields:
        if model_field.has_default():
            defaults[model_field.attname] = model_field.get_default()
        elif model_field.null:
            defaults[model_field.attname] = None
        else:
            defaults[model_field.attname] = ""
    for row in rows:
        writer.writerow([_cell(row[f.attname] if f.attname in row else defaults[f.attname]) for f in fields])
    buffer.seek(0)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


def _next_id(cursor, model) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")  # noqa: S608 (a model's table)
    return cursor.fetchone()[0]


def write_registry(records: list[ChildRecord], *, user=None, seed: int = 0) -> Written:
    """Write the records as children with one rescue and one case each; returns where they went."""
    from clts.matching.names import name_key  # as Child.save computes the keys

    if user is None:
        from tests import factories

        user = factories.make_user("admin", username=f"synthetic-loader-{seed}")
    home, district_pk, districts, block_pk = _places()
    rng = random.Random(f"write-{seed}")
    district_codes = sorted(district_pk)
    short_code = {district.pk: district.short_code for district in districts.values()}
    statuses, status_weights = zip(*STATUSES, strict=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        rescue_base, child_base, case_base = (_next_id(cursor, m) for m in (RescueOperation, Child, Case))
        rescues, children, cases = [], [], []
        for record in records:
            home_district = district_pk[record.home_district_lgd]
            home_block = block_pk.get(record.home_block_lgd)
            # Four children in ten are rescued in their home district, the others elsewhere in Bihar.
            if rng.random() < 0.4:
                rescue_district, rescue_block = home_district, home_block
            else:
                rescue_district, rescue_block = district_pk[rng.choice(district_codes)], None
            rescued_at = datetime.combine(record.rescued_on, time(5 + rng.randrange(8)), tzinfo=UTC)
            restored_at = rescued_at + timedelta(days=20)
            rescue_id, child_id, case_id = (base + record.id for base in (rescue_base, child_base, case_base))
            rescues.append(
                {
                    "id": rescue_id,
                    "rescued_at": rescued_at,
                    "state_id": home.pk,
                    "district_id": rescue_district,
                    "block_id": rescue_block,
                    "industry": rng.choice(INDUSTRIES),
                    "led_by": "labour",
                    "sections": [],
                    "created_by_id": user.pk,
                    "created_at": rescued_at + timedelta(hours=2),
                }
            )
            children.append(
                {
                    "id": child_id,
                    "name": record.name,
                    "name_key": name_key(record.name),
                    "sex": record.sex,
                    "date_of_birth": record.date_of_birth,
                    "age_years": record.age_years,
                    "age_assessment": "school_record" if record.date_of_birth else "declared",
                    "father_name": record.father_name,
                    "mother_name": record.mother_name,
                    "guardian_name": record.guardian_name,
                    "guardian_relation": record.guardian_relation,
                    "guardian_key": name_key(record.father_name, record.mother_name, record.guardian_name),
                    "home_state_id": home.pk,
                    "home_district_id": home_district,
                    "home_block_id": home_block,
                    "home_village_text": record.home_village_text,
                    "languages": "Hindi",
                    "education_level": "dropped_primary",
                    "aadhaar_last4": record.aadhaar[-4:],
                    "aadhaar_hash": identifier_hash(record.aadhaar) if record.aadhaar else "",
                    "created_at": rescued_at + timedelta(hours=2),
                    "updated_at": rescued_at + timedelta(hours=2),
                }
            )
            status = rng.choices(statuses, status_weights)[0]
            case_number = f"BR-{short_code[rescue_district]}-{record.rescued_on.year}-{CASE_NUMBER_BASE + case_id}"
            cases.append(
                {
                    "id": case_id,
                    "case_number": case_number,
                    "child_id": child_id,
                    "rescue_id": rescue_id,
                    "category": "child" if record.age_years < 14 else "adolescent",
                    "age_at_rescue": record.age_years,
                    "rescued_on": record.rescued_on,
                    "district_id": rescue_district,
                    "block_id": rescue_block,
                    "home_district_id": home_district,
                    "home_block_id": home_block,
                    "status": status,
                    "status_changed_at": restored_at,
                    "restored_at": restored_at,
                    "bonded_indicators": [],
                    "created_by_id": user.pk,
                    "created_at": rescued_at + timedelta(hours=2),
                    "updated_at": restored_at,
                }
            )
        _copy(cursor, RescueOperation, rescues)
        _copy(cursor, Child, children)
        _copy(cursor, Case, cases)
        for model in (RescueOperation, Child, Case):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        for model in (RescueOperation, Child, Case):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return Written(child_offset=child_base, count=len(records))
