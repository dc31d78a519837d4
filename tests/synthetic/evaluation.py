"""The labelled evaluation set: re-registrations of children in the registry, and new children made to confuse.

    registry = generate_registry(TUNING.children, seed=TUNING.seed)
    evaluation = make_evaluation(registry, TUNING)

or `evaluation_set(TUNING)` / `evaluation_set(HELD_OUT)` for both at once (cached per process). Tune on TUNING;
check on HELD_OUT, which has another seed (other people, other draws of every variation) and other sizes, so an
engine that learnt the tuning set's examples instead of the kinds of variation shows it there.

An `EvaluationCase` is a `query` (a ChildRecord with id 0: what the officer typed), `truth` (the person in the
registry, or None for a new child), `truth_ids` (that person's record ids in the registry) and `kinds` (the kinds
of variation, or the kind of confusable new child). Half the re-registrations carry one kind alone (each kind in
turn), half carry two or three kinds together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import cache

from tests.synthetic import names as n
from tests.synthetic import variations as v
from tests.synthetic.registry import (
    ChildRecord,
    Family,
    Person,
    Registry,
    _Draw,
    _family,
    generate_registry,
    given_names,
)


@dataclass(frozen=True)
class EvaluationConfig:
    name: str
    seed: int
    children: int
    reregistrations: int
    new_children: int
    # Share of re-registrations on which the officer also typed the child's Aadhaar (when the child has one).
    aadhaar_share: float = 0.1


TUNING = EvaluationConfig("tuning", seed=12, children=25_000, reregistrations=500, new_children=400)
HELD_OUT = EvaluationConfig("held-out", seed=2027, children=40_000, reregistrations=600, new_children=500)


@dataclass(frozen=True)
class EvaluationCase:
    query: ChildRecord
    truth: int | None
    truth_ids: frozenset[int]
    kinds: tuple[str, ...]

    @property
    def is_new(self) -> bool:
        return self.truth is None


@dataclass
class EvaluationSet:
    config: EvaluationConfig
    cases: list[EvaluationCase]

    @property
    def reregistrations(self) -> list[EvaluationCase]:
        return [case for case in self.cases if not case.is_new]

    @property
    def new_children(self) -> list[EvaluationCase]:
        return [case for case in self.cases if case.is_new]


def _kind_plan(count: int, rng: random.Random) -> list[tuple[str, ...]]:
    alone = [(v.KINDS[i % len(v.KINDS)],) for i in range(count // 2)]
    combined = []
    while len(combined) < count - len(alone):
        kinds = v.some_kinds(rng, most=3)
        if len(kinds) >= 2:
            combined.append(kinds)
    return alone + combined


def _reregistrations(registry: Registry, config: EvaluationConfig, rng: random.Random) -> list[EvaluationCase]:
    first_of: dict[int, ChildRecord] = {}
    ids_of: dict[int, set[int]] = {}
    for record in registry.records:
        first_of.setdefault(record.person, record)
        ids_of.setdefault(record.person, set()).add(record.id)
    people = sorted(registry.people)
    cases = []
    for kinds in _kind_plan(config.reregistrations, rng):
        for _attempt in range(500):
            person = registry.people[rng.choice(people)]
            earlier = first_of[person.id]
            if not all(v.applies(kind, person, earlier) for kind in kinds):
                continue
            query = v.reregister(person, earlier, kinds, rng)
            if query is not None:
                break
        else:
            raise RuntimeError(f"no child of the registry fits {kinds}")
        if person.aadhaar and rng.random() < config.aadhaar_share:
            query = replace(query, aadhaar=person.aadhaar)
        cases.append(EvaluationCase(query, person.id, frozenset(ids_of[person.id]), kinds))
    return cases


def _stranger(person: Person, draw: _Draw, family_id: int, seed: int, *, village_share: float) -> Family:
    """Another family, from this child's block (half the time), or village too (`village_share`)."""
    rng = draw.rng
    while True:
        family = _family(draw, family_id, seed)
        if family.muslim != person.family.muslim:
            continue
        if rng.random() < 0.5:
            family.district, family.block = person.family.district, person.family.block
            family.village = person.family.village if rng.random() < village_share * 2 else family.village
        if family.father != person.family.father:
            return family


def _new_children(registry: Registry, config: EvaluationConfig, rng: random.Random) -> list[EvaluationCase]:
    draw = _Draw(rng)
    first_of: dict[int, ChildRecord] = {}
    for record in registry.records:
        first_of.setdefault(record.person, record)
    people = sorted(registry.people)
    unisex = [pid for pid in people if registry.people[pid].given[-1].latin in n.UNISEX]
    tokens = n.token_by_latin()
    next_person = max(people) + 1
    next_family = max(person.family.id for person in registry.people.values()) + 1
    plan = [v.NAMESAKE] * (config.new_children // 2)
    plan += [v.SIBLING] * (config.new_children * 3 // 10)
    plan += [v.OTHER_SEX] * (config.new_children - len(plan))
    cases = []
    for kind in plan:
        for _attempt in range(500):
            person = registry.people[rng.choice(unisex if kind == v.OTHER_SEX else people)]
            if kind == v.NAMESAKE:
                family = _stranger(person, draw, next_family, registry.seed, village_share=0.2)
                child = v.namesake(person, family, next_person, rng)
            elif kind == v.SIBLING:
                family = person.family
                taken = {sib.given[-1].latin for sib in family.children}
                sex = person.sex if rng.random() < 0.7 else ("f" if person.sex == "m" else "m")
                rhyme = n.RHYMES.get(person.given[-1].latin)
                if sex == person.sex and rhyme and rhyme not in taken and rng.random() < 0.5:
                    given = tokens[rhyme]
                else:
                    given = draw.pick(given_names(sex, family.muslim))
                    if given.latin in taken:
                        continue
                child = v.sibling(person, next_person, rng, given, sex)
            else:
                family = _stranger(person, draw, next_family, registry.seed, village_share=0.25)
                child = v.other_sex(person, family, next_person, rng)
            query = v.new_child_record(child, rng, after=first_of[person.id].rescued_on)
            if query is not None:
                break
        else:
            raise RuntimeError(f"no new child of kind {kind} fits")
        if family is not person.family:
            next_family += 1
        next_person += 1
        cases.append(EvaluationCase(query, None, frozenset(), (kind,)))
    return cases


def make_evaluation(registry: Registry, config: EvaluationConfig) -> EvaluationSet:
    rng = random.Random(f"evaluation-{config.seed}")
    cases = _reregistrations(registry, config, rng) + _new_children(registry, config, rng)
    random.Random(f"order-{config.seed}").shuffle(cases)
    return EvaluationSet(config=config, cases=cases)


@cache
def evaluation_set(config: EvaluationConfig = TUNING) -> tuple[Registry, EvaluationSet]:
    """The registry and its evaluation set for a configuration (made once per process)."""
    registry = generate_registry(config.children, seed=config.seed)
    return registry, make_evaluation(registry, config)
