"""The synthetic registry of tests/synthetic in the database, and the engine asked about its labelled queries.

Shared by the evaluation test and the benchmark: write a registry, build its keys, train on it, turn a query
(what an officer typed, a tests.synthetic ChildRecord) into the engine's record, and rank the registry for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from clts.geo.models import Block, District
from clts.matching import engine, keys, services, training
from clts.matching.records import Record
from clts.matching.scoring import Parameters, Scored
from rescue import match_records
from tests.synthetic.database import Written, write_registry
from tests.synthetic.registry import ChildRecord


@dataclass
class World:
    written: Written
    district_pk: dict[int, int]
    block_pk: dict[int, int]

    def record(self, query: ChildRecord) -> Record:
        from clts.core.identifiers import identifier_hash

        return Record(
            name=query.name,
            father_name=query.father_name,
            mother_name=query.mother_name,
            guardian_name=query.guardian_name,
            village=query.home_village_text,
            district_id=self.district_pk.get(query.home_district_lgd),
            block_id=self.block_pk.get(query.home_block_lgd) if query.home_block_lgd else None,
            sex=query.sex,
            born=query.date_of_birth,
            age=query.age_years,
            on=query.rescued_on,
            aadhaar_hash=identifier_hash(query.aadhaar) if query.aadhaar else "",
        )

    def pool(self, query: ChildRecord, parameters: Parameters) -> list[Scored]:
        """Every candidate the blocking keys bring, scored, best first (shown or not)."""
        record = self.record(query)
        ids = keys.candidate_ids(record, pool=engine.POOL)
        return engine.score(record, match_records.records(ids), using=parameters) if ids else []

    def ranker(self, parameters: Parameters):
        """The evaluation's `rank(query)`: the candidates an officer is shown, as (registry id, p, strong)."""

        def rank(query: ChildRecord):
            shown = [item for item in self.pool(query, parameters) if item.strength]
            return [
                (self.written.record_id(item.record.id), item.probability, item.strength == engine.STRONG)
                for item in shown[:5]
            ]

        return rank


def build(records: list[ChildRecord], *, seed: int = 0) -> World:
    """Write the registry, build every blocking key (as after an import) and return the world."""
    written = write_registry(records, seed=seed)
    services.keys_rebuild(match_records.all_records())
    district_pk = dict(District.objects.filter(lgd_code__isnull=False).values_list("lgd_code", "pk"))
    block_pk = dict(Block.objects.filter(lgd_code__isnull=False).values_list("lgd_code", "pk"))
    return World(written, district_pk, block_pk)


def train_and_calibrate(world: World, cases) -> Parameters:
    """Train on the registry with these labelled queries confirmed, then choose the thresholds on them.

    The re-registrations stand for the link requests people confirmed (each pair: what the officer typed, and the
    earlier record); the model's m are counted from them and from the registry's own same-Aadhaar pairs, u and
    the term frequencies from the registry.
    """
    records = [record for batch in match_records.all_records() for record in batch]
    by_id = {record.id: record for record in records}
    confirmed = []
    for case in cases:
        if case.truth is not None:
            earlier = by_id.get(world.written.child_pk(min(case.truth_ids)))
            if earlier is not None:
                confirmed.append((world.record(case.query), earlier))
    model = training.train(records, confirmed=confirmed)
    parameters = engine.parameters()
    results = []
    for case in cases:
        pool = world.pool(case.query, parameters)
        truth = {world.written.child_pk(record_id) for record_id in case.truth_ids}
        true_id = next((item.record.id for item in pool if item.record.id in truth), None)
        if case.truth is not None and true_id is None:
            continue  # not in the pool: nothing to calibrate on (counted as missed by the report)
        results.append((pool, true_id))
    training.calibrate(model, results)
    return engine.parameters()
