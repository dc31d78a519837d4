"""clts.core.copying.side_copies: COPYs on a second connection commit right after the caller's transaction, never
without it, and a failed one fails the caller's; inside an outer transaction there is no side connection."""

import pytest
from django.db import connection, transaction
from psycopg2 import errors

from clts.core.copying import side_copies, side_copy
from clts.matching.models import ChildMatchKey

KEYS = ("COPY childmatchkey (key, child_id) FROM STDIN", "11\t900001\n12\t900001\n13\t900002\n")


def _stored() -> set[tuple[int, int]]:
    return set(ChildMatchKey.objects.filter(child_id__in=(900001, 900002)).values_list("key", "child_id"))


@pytest.mark.django_db(transaction=True)
def test_side_copies_are_committed_right_after_the_callers_transaction_and_not_seen_before():
    with side_copies() as side, transaction.atomic():
        assert side_copy() is side
        side.send([KEYS])
        side.finish()
        assert _stored() == set()  # the side's transaction is not committed while the caller's is open
    assert side.committed
    assert _stored() == {(11, 900001), (12, 900001), (13, 900002)}
    assert side_copy() is None


@pytest.mark.django_db(transaction=True)
def test_a_caller_whose_transaction_rolls_back_leaves_no_side_copy():
    with pytest.raises(RuntimeError), side_copies() as side, transaction.atomic():
        side.send([KEYS])
        side.finish()
        raise RuntimeError("the caller's write failed")
    assert not side.committed
    assert _stored() == set()


@pytest.mark.django_db(transaction=True)
def test_a_side_copy_that_fails_fails_the_callers_transaction():
    from clts.accounts.roles import Role
    from tests import factories as f

    with pytest.raises(errors.UniqueViolation), side_copies() as side, transaction.atomic():
        f.make_user(Role.ADMIN, username="written-with-the-side")
        side.send([("COPY childmatchkey (key, child_id) FROM STDIN", "21\t900001\n21\t900001\n")])  # twice
        side.finish()
    from clts.accounts.models import User

    assert not User.objects.filter(username="written-with-the-side").exists()
    assert _stored() == set()


@pytest.mark.django_db
def test_inside_an_outer_transaction_there_is_no_side_and_the_caller_sends_in_its_own():
    assert connection.in_atomic_block
    with side_copies() as side:
        assert side is None and side_copy() is None
