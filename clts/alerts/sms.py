"""Sending an SMS: a small back-end protocol, chosen in settings.SMS_BACKEND; a real gateway is set at deployment.

Texts carry counts and case numbers only, never a child's name or village (see services.digests).
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


def masked(number: str) -> str:
    """A phone number as a log may show it: the last three digits."""
    return f"***{number[-3:]}" if len(number) > 3 else "***"


class LoggingSmsBackend:
    """Writes each SMS to the log instead of sending it (development, and deployments without a gateway yet)."""

    def send(self, *, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", masked(to), text)


# What MemorySmsBackend has "sent", as (number, text) pairs: for tests, like Django's locmem mail outbox.
outbox: list[tuple[str, str]] = []


class MemorySmsBackend:
    def send(self, *, to: str, text: str) -> None:
        outbox.append((to, text))


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
