"""A case number belongs to one case: the database refuses a second case under it (since migration 0012 the
uniqueness is a named constraint, no longer the field's `unique=True` with its LIKE-prefix index)."""

import pytest
from django.db import IntegrityError, transaction

from rescue.models import Case
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_second_case_under_a_number_already_given_is_refused_and_the_first_is_kept():
    first = f.make_case()
    with pytest.raises(IntegrityError, match="rescue_case_number_unique"), transaction.atomic():
        f.make_case(case_number=first.case_number)
    assert list(Case.objects.filter(case_number=first.case_number)) == [first]
