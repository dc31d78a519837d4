"""Synthetic children of Bihar for measuring "is this the same child?" (issue 12), seeded and deterministic.

- `registry.generate_registry(n, seed)`: n records of rescued children with realistic name frequencies (Hindu and
  Muslim names, Latin and Devanagari, common surnames, families with brothers and sisters, LGD districts and
  blocks); the layout of a record is in `registry.ChildRecord`.
- `evaluation.evaluation_set(TUNING | HELD_OUT)`: a registry and its labelled set: re-registrations of its children
  with the variations officers produce (alone and combined) and confusable new children (`variations` lists the
  kinds). Tune on TUNING; HELD_OUT has another seed and other sizes.
- `report.evaluate(rank, evaluation)`: ranked-first accuracy, recall at 5 and the false strong rate, overall and
  by kind, as a table, with the goals of issue 12 (`Report.misses()`).
- `database.write_registry(records)`: the records as children with a rescue and a case each, by COPY.

The names are common given names, not persons; identifiers are synthetic (Aadhaar numbers start with 0, which no
real one does). Benchmark data at a million rows is made by SQL from the same tables (tests/bench/dataset.py).
"""
