"""Train the matching model again on the whole registry (and, with --keys, rebuild every blocking key)."""

from django.core.management.base import BaseCommand

from clts.matching import registry, services, training


class Command(BaseCommand):
    help = "Estimate the matching model's parameters from the registry and put the new model in use."

    def add_arguments(self, parser):
        parser.add_argument("--keys", action="store_true", help="Rebuild every child's blocking keys first.")
        parser.add_argument("--sample", type=int, default=200_000, help="Records drawn from the registry.")

    def handle(self, *args, keys=False, sample=200_000, **options):
        if keys:
            written = services.keys_rebuild(registry.record_batches())
            self.stdout.write(f"{written} blocking keys written")
        records, total = registry.sample(sample)
        confirmed = registry.confirmed_pairs()
        model = training.train(records, confirmed=confirmed)
        self.stdout.write(f"{len(records)} of {total} records drawn; {len(confirmed)} confirmed pairs")
        self.stdout.write(
            f"model {model.pk}: {model.records} records, {model.pairs} pairs, {model.iterations} iterations, "
            f"share of true pairs {model.match_share:.4f}"
        )
