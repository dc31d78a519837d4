"""`make run`'s demo data: one user per role in real Bihar places, a few invented cases; idempotent, DEBUG only."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from clts.accounts.models import User
from clts.accounts.roles import Role
from rescue.models import Case, Interstate, Status

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_user_per_role_and_demo_cases_once(settings):
    settings.DEBUG = True
    call_command("load_lgd", verbosity=0)
    call_command("seed_demo")
    call_command("seed_demo")

    assert {user.role for user in User.objects.filter(username__startswith="demo-")} == set(Role.values)
    district = User.objects.get(username="demo-district")
    assert district.district.name_en == "Gaya" and district.check_password("demo-password-2026")
    cases = Case.objects.filter(rescue__establishment_name__startswith="Demo establishment")
    assert cases.count() == 5
    assert cases.filter(status=Status.RESTORED).count() == 1
    assert cases.filter(interstate=Interstate.INBOUND).count() == 1
    assert all(case.child.name.startswith("Demo ") for case in cases)
    # The outsider of Patna sees only the child rescued in Gaya whose home is Patna.
    outsider = User.objects.get(username="demo-outsider")
    assert list(cases.visible_to(outsider).values_list("child__name", flat=True)) == ["Demo Vikram Paswan"]
    # Of the demo figures' thousands of cases (seed_demo_figures), only Patna's: rescued there or at home there.
    seen = Case.objects.visible_to(outsider)
    assert seen.count() > 1
    assert not seen.exclude(Q(district=outsider.district) | Q(home_district=outsider.district)).exists()
    # The dashboards' demo figures (clts.reports): a few thousand cases, made once, across many districts.
    figures = Case.objects.filter(rescue__establishment_name__startswith="Demo figures")
    assert figures.count() == 3000
    assert figures.values("district").distinct().count() > 30


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username__startswith="demo-").exists()
