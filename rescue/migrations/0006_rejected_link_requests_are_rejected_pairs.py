"""Link requests rejected before the matching engine kept rejected pairs become its rejected pairs."""

from django.db import migrations


def forwards(apps, schema_editor):
    LinkRequest = apps.get_model("rescue", "LinkRequest")
    RejectedPair = apps.get_model("matching", "RejectedPair")
    pairs = []
    for new_child, earlier, by in LinkRequest.objects.filter(status="rejected").values_list(
        "new_case__child_id", "earlier_child_id", "decided_by_id"
    ):
        if new_child != earlier:
            one, other = sorted((new_child, earlier))
            pairs.append(RejectedPair(child_id=one, other_id=other, source="link_request", decided_by_id=by))
    RejectedPair.objects.bulk_create(pairs, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("rescue", "0005_add_link_request"), ("matching", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
