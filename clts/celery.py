"""The Celery app. Reliability settings live in settings.py (CELERY_*); the beat schedule is static, here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clts.settings")

app = Celery("clts")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Exactly one beat process runs this (docker-compose runs one replica; `make run` starts one).
app.conf.beat_schedule = {}
