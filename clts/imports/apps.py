from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "clts.imports"
    label = "imports"
