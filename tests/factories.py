"""make_<thing>(**overrides): rows for tests, with synthetic people and real place names (codes left empty)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.geo.models import Block, District, State
from rescue.models import Case, Category, Child, RescueOperation
from schemes.models import Department
from trackchild_sync.models import Institution

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_state(**overrides) -> State:
    values = {"name_en": "Bihar", "name_hi": "बिहार", "short_code": "BR"} | overrides
    state, _ = State.objects.get_or_create(name_en=values.pop("name_en"), defaults=values)
    return state


def make_district(**overrides) -> District:
    state = overrides.pop("state", None) or make_state()
    name = overrides.pop("name_en", "Gaya")
    values = {"short_code": name[:3].upper()} | overrides
    district, _ = District.objects.get_or_create(state=state, name_en=name, defaults=values)
    return district


def make_block(**overrides) -> Block:
    district = overrides.pop("district", None) or make_district()
    name = overrides.pop("name_en", "Bodh Gaya")
    block, _ = Block.objects.get_or_create(district=district, name_en=name, defaults=overrides)
    return block


def make_institution(**overrides) -> Institution:
    district = overrides.pop("district", None) or make_district()
    values = {
        "kind": Institution.Kind.CWC,
        "name": f"Test institution {next(_seq)}",
        "state": district.state,
        "district": district,
    } | overrides
    return Institution.objects.create(**values)


def make_department(**overrides) -> Department:
    values = {"code": f"dept-{next(_seq)}", "name_en": "Test department"} | overrides
    return Department.objects.create(**values)


def make_user(role: str = Role.DISTRICT, **overrides) -> User:
    n = next(_seq)
    values = {"username": f"{role}-user-{n}", "first_name": "Test", "last_name": f"Officer {n}", "role": role}
    if role == Role.DISTRICT and "district" not in overrides:
        values["district"] = make_district()
    if role in (Role.BLOCK, Role.FIELD) and "block" not in overrides:
        values["block"] = make_block()
    if role == Role.STATE and "state" not in overrides:
        values["state"] = make_state()
    if role in (Role.CWC, Role.CCI) and "institution" not in overrides:
        values["institution"] = make_institution(kind=role)
    if role == Role.NODAL and "department" not in overrides:
        values["department"] = make_department()
    values |= overrides
    if values.get("block") and not values.get("district"):
        values["district"] = values["block"].district
    if values.get("district") and not values.get("state"):
        values["state"] = values["district"].state
    password = values.pop("password", PASSWORD)
    user = User(**values)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def make_rescue(**overrides) -> RescueOperation:
    district = overrides.pop("district", None) or make_district()
    values = {
        "rescued_at": timezone.now() - timedelta(days=2),
        "state": district.state,
        "district": district,
        "industry": "brick_kiln",
        "led_by": "labour",
        "establishment_name": "Test brick kiln",
        "created_by": overrides.get("created_by") or make_user(Role.ADMIN),
    } | overrides
    return RescueOperation.objects.create(**values)


def make_child(**overrides) -> Child:
    district = overrides.pop("home_district", None) or make_district()
    values = {
        "name": f"Test Child {next(_seq)}",
        "sex": "m",
        "age_years": 12,
        "age_assessment": "declared",
        "home_state": district.state,
        "home_district": district,
    } | overrides
    return Child.objects.create(**values)


def make_case(**overrides) -> Case:
    """A case with its child and rescue, in the given district (rescuing and home) unless told otherwise."""
    district = overrides.pop("district", None) or make_district()
    home_district = overrides.pop("home_district", district)
    rescue = overrides.pop("rescue", None) or make_rescue(district=district)
    child = overrides.pop("child", None) or make_child(home_district=home_district)
    n = next(_seq)
    values = {
        "case_number": f"BR-TST-{rescue.rescued_at:%Y}-{n:06d}",
        "child": child,
        "rescue": rescue,
        "category": Category.CHILD,
        "age_at_rescue": child.age_years or 12,
        "rescued_on": timezone.localdate(rescue.rescued_at),
        "district": district,
        "home_district": home_district,
        "status_changed_at": rescue.rescued_at,
        "created_by": rescue.created_by,
    } | overrides
    return Case.objects.create(**values)
