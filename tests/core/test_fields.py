"""Fields declared alike in many models (clts.core.fields): the same column whatever model declares it."""

from django.db import models

from clts.core.fields import place_key
from rescue.models import Case


def test_a_place_key_is_an_optional_protected_place_with_no_way_back():
    field = place_key("geo.District", "home district")
    _name, _path, args, kwargs = field.deconstruct()
    assert kwargs["to"] == "geo.district" and kwargs["on_delete"] is models.PROTECT
    assert (kwargs["null"], kwargs["blank"], kwargs["related_name"]) == (True, True, "+")
    assert "db_index" not in kwargs  # indexed, as a foreign key is by default


def test_options_add_to_or_override_the_defaults():
    _name, _path, _args, kwargs = place_key("geo.Block", "block", db_index=False, help_text="Where.").deconstruct()
    assert kwargs["db_index"] is False and kwargs["help_text"] == "Where." and kwargs["null"] is True


def test_the_case_keeps_its_columns_as_declared_before():
    """The case's rescuing and home district and block: unindexed on their own (composite indexes lead with them)."""
    for name in ("district", "block", "home_district", "home_block"):
        field = Case._meta.get_field(name)
        assert field.null and field.remote_field.on_delete is models.PROTECT and not field.db_index, name
