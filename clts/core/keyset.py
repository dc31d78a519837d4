"""Keyset pagination cursors: "<ordering value>_<id>" of the last row shown, in every long list of the portal.

A page costs the same at any depth because the next one starts after the last row's (value, id), which an index on
(value, id) finds directly. The cursor travels in the URL: it carries a date or time and a row id, never a name.
"""

from datetime import date, datetime

from django.utils.dateparse import parse_datetime


def format_cursor(value: date | datetime, pk: int) -> str:
    return f"{value.isoformat()}_{pk}"


def parse_cursor(text: str | None) -> tuple[date | datetime, int] | None:
    """(value, id) from a cursor; None for anything malformed, which starts the list from its beginning."""
    if not text or "_" not in text:
        return None
    value, _, pk = text.rpartition("_")
    if not pk.isdigit():
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value), int(pk)
        moment = parse_datetime(value)
    except ValueError:
        return None
    return (moment, int(pk)) if moment is not None else None
