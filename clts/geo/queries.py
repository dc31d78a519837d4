"""Reads of the geography (public LGD data, no personal data): the choices that follow one another in forms."""

from django.conf import settings
from django.db.models import QuerySet

from clts.geo.models import Block, District, Village


def home_state_districts() -> QuerySet[District]:
    """The districts of the state this deployment serves (settings.HOME_STATE)."""
    return District.objects.filter(state__lgd_code=settings.HOME_STATE)


def blocks_of(district_id) -> QuerySet[Block]:
    """The blocks of one district; nothing for a value that is not a district id (a form's raw input)."""
    if not str(district_id or "").isdigit():
        return Block.objects.none()
    return Block.objects.filter(district_id=district_id).only("name_en", "name_hi")


def villages_of(block_id) -> QuerySet[Village]:
    """The villages of one block; nothing for a value that is not a block id (a form's raw input)."""
    if not str(block_id or "").isdigit():
        return Village.objects.none()
    return Village.objects.filter(block_id=block_id).only("name_en", "name_hi")
