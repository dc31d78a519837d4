"""The default follow-up schedule (monthly for six months, then quarterly until two years after restoration) and
the closure rule (the last three visits safe; school age 6 to 14). Both are data the admin can change."""

from django.db import migrations

DEFAULT_MONTHS = [1, 2, 3, 4, 5, 6, 9, 12, 15, 18, 21, 24]


def add_defaults(apps, schema_editor):
    step = apps.get_model("rehabilitation", "VisitScheduleStep")
    if not step.objects.exists():
        step.objects.bulk_create([step(months_after_restoration=months) for months in DEFAULT_MONTHS])
    rule = apps.get_model("rehabilitation", "RehabilitationRule")
    rule.objects.get_or_create(pk=1, defaults={"safe_visits_for_closure": 3, "school_age_from": 6, "school_age_to": 14})


class Migration(migrations.Migration):
    dependencies = [
        ("rehabilitation", "0001_packages_visits_and_figures"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
    ]
