from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "clts.matching"
    label = "matching"
    verbose_name = "Matching"
