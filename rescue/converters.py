"""The case number in URLs: every page about one case is addressed by it, in every app."""


class CaseNumberConverter:
    """Case numbers such as BR-GAY-2026-000123 (never a name: URLs carry numbers and ids only)."""

    regex = r"[A-Z]{2}-[A-Z]{2,4}-[0-9]{4}-[0-9]{1,8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
