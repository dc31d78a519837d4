"""Indexes a bulk import kept up for every row and no query reads.

- rescue_caseevent.case_id, rescue_transfer.case_id, rescue_child.home_district_id, rescue_rescueoperation.district_id:
  each column leads a composite index (rescue_event_case_at, rescue_transfer_case, rescue_child_home_district,
  rescue_op_district_date) that serves the same lookups and the checks of the foreign key's CASCADE or PROTECT.
- rescue_child.aadhaar_hash (two indexes): a child is found by the number through the matching engine's blocking
  keys, never by this column.
- rescue_case.case_number's LIKE-prefix index: nothing searches case numbers by their start (the search by the
  end has its trigram index). The uniqueness stays, as a named constraint.

Only indexes are dropped, by name, and the unique constraint renamed: AlterField of a foreign key would also drop
and re-validate the constraint (a full scan of the table), and a new unique constraint would build its index anew.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_unique_short_codes"),
        ("rescue", "0011_fewer_case_and_history_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="case_number",
                    field=models.CharField(max_length=32, verbose_name="case number"),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.UniqueConstraint(fields=("case_number",), name="rescue_case_number_unique"),
                ),
                migrations.AlterField(
                    model_name="caseevent",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="rescue.case",
                        verbose_name="case",
                    ),
                ),
                migrations.AlterField(
                    model_name="transfer",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transfers",
                        to="rescue.case",
                        verbose_name="case",
                    ),
                ),
                migrations.AlterField(
                    model_name="child",
                    name="aadhaar_hash",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="child",
                    name="home_district",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.district",
                        verbose_name="home district",
                    ),
                ),
                migrations.AlterField(
                    model_name="rescueoperation",
                    name="district",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.district",
                        verbose_name="district",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        'ALTER TABLE "rescue_case" RENAME CONSTRAINT "rescue_case_case_number_key"'
                        ' TO "rescue_case_number_unique";',
                        'DROP INDEX IF EXISTS "rescue_case_case_number_0eed6652_like";',
                        'DROP INDEX IF EXISTS "rescue_caseevent_case_id_d23cbac7";',
                        'DROP INDEX IF EXISTS "rescue_transfer_case_id_417a7e88";',
                        'DROP INDEX IF EXISTS "rescue_child_aadhaar_hash_6c00293b";',
                        'DROP INDEX IF EXISTS "rescue_child_aadhaar_hash_6c00293b_like";',
                        'DROP INDEX IF EXISTS "rescue_child_home_district_id_02cf8b52";',
                        'DROP INDEX IF EXISTS "rescue_rescueoperation_district_id_0e836a3d";',
                    ],
                    reverse_sql=[
                        'CREATE INDEX "rescue_rescueoperation_district_id_0e836a3d" ON "rescue_rescueoperation"'
                        ' ("district_id");',
                        'CREATE INDEX "rescue_child_home_district_id_02cf8b52" ON "rescue_child" ("home_district_id");',
                        'CREATE INDEX "rescue_child_aadhaar_hash_6c00293b_like" ON "rescue_child"'
                        ' ("aadhaar_hash" varchar_pattern_ops);',
                        'CREATE INDEX "rescue_child_aadhaar_hash_6c00293b" ON "rescue_child" ("aadhaar_hash");',
                        'CREATE INDEX "rescue_transfer_case_id_417a7e88" ON "rescue_transfer" ("case_id");',
                        'CREATE INDEX "rescue_caseevent_case_id_d23cbac7" ON "rescue_caseevent" ("case_id");',
                        'CREATE INDEX "rescue_case_case_number_0eed6652_like" ON "rescue_case"'
                        ' ("case_number" varchar_pattern_ops);',
                        'ALTER TABLE "rescue_case" RENAME CONSTRAINT "rescue_case_number_unique"'
                        ' TO "rescue_case_case_number_key";',
                    ],
                ),
            ],
        ),
    ]
