"""Celery task: the model trained again on the registry (the records come from the registry hook)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, time_limit=3600)
def train_match_model() -> None:
    call_command("train_match_model")
