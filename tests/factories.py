"""make_<thing>(**overrides): rows for tests, with synthetic people and real place names (codes left empty)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.geo.models import Block, District, State
from clts.orgs.models import Department, Institution
from rescue.models import Case, Category, Child, RescueOperation, Status
from rescue.services import AFTER_RESTORATION

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


# --- rescue (issue 4) ------------------------------------------------------------------------------------------


def make_home_state(**overrides) -> State:
    """The deployment's home state (settings.HOME_STATE): Bihar, given its LGD code if no state has it yet."""
    from django.conf import settings

    state = State.objects.filter(lgd_code=settings.HOME_STATE).first()
    if state is None:
        state = make_state(**overrides)
        state.lgd_code = settings.HOME_STATE
        state.save(update_fields=["lgd_code"])
    return state


def make_event(case: Case, **overrides):
    from rescue.models import CaseEvent

    values = {"kind": CaseEvent.Kind.NOTE, "at": timezone.now(), "actor": case.created_by} | overrides
    return CaseEvent.objects.create(case=case, **values)


def make_transfer(case: Case, **overrides):
    """A pending transfer of the case to its home district (inter-district) unless told otherwise."""
    from rescue.models import Transfer, TransferKind

    values = {
        "kind": TransferKind.DISTRICT,
        "from_state": case.district.state if case.district else make_state(),
        "from_district": case.district,
        "to_state": case.home_district.state if case.home_district else make_state(),
        "to_district": case.home_district,
        "initiated_by": case.created_by,
        "initiated_at": timezone.now(),
    } | overrides
    return Transfer.objects.create(case=case, **values)


def make_cwc_order(case: Case, **overrides):
    from trackchild_sync.models import CwcOrder

    values = {
        "cwc": case.cwc or make_institution(kind="cwc", district=case.district or case.home_district),
        "kind": CwcOrder.Kind.CCI_PLACEMENT,
        "ordered_on": timezone.localdate(),
        "cci": case.cci,
        "recorded_by": case.created_by,
    } | overrides
    return CwcOrder.objects.create(case=case, **values)


def make_world_case(world) -> Case:
    """The shared case of the access matrix (idempotent): a child of Bodh Gaya block, Gaya district, rescued
    there, produced before world.cast.cwc_institution and placed in world.cast.cci_institution (status "in
    shelter"). Sets world.case, world.child and world.rescue."""
    if getattr(world, "case", None) is not None:
        return world.case
    from rescue.models import CaseEvent, Status

    places, cast = world.places, world.cast
    make_home_state()
    rescued_at = timezone.now() - timedelta(days=10)
    rescue = make_rescue(district=places.gaya, block=places.bodh_gaya, rescued_at=rescued_at, created_by=cast.block)
    child = make_child(home_district=places.gaya, home_block=places.bodh_gaya, name="Test Child World")
    case = make_case(
        district=places.gaya,
        rescue=rescue,
        child=child,
        block=places.bodh_gaya,
        home_block=places.bodh_gaya,
        status=Status.IN_SHELTER,
        status_changed_at=rescued_at + timedelta(hours=6),
        cwc=cast.cwc_institution,
        cci=cast.cci_institution,
        produced_at=rescued_at + timedelta(hours=5),
        responsible_officer=cast.block,
    )
    make_event(case, kind=CaseEvent.Kind.REGISTERED, at=rescued_at + timedelta(hours=1), actor=cast.block)
    make_event(
        case,
        kind=CaseEvent.Kind.TRANSITION,
        at=rescued_at + timedelta(hours=5),
        actor=cast.cwc,
        from_status=Status.RESCUED,
        to_status=Status.PRODUCED,
    )
    make_event(
        case,
        kind=CaseEvent.Kind.TRANSITION,
        at=rescued_at + timedelta(hours=6),
        actor=cast.cwc,
        from_status=Status.PRODUCED,
        to_status=Status.IN_SHELTER,
    )
    world.case, world.child, world.rescue = case, child, rescue
    return case


# --- schemes (issue 6) -----------------------------------------------------------------------------------------


def make_household(case: Case | None = None, **overrides):
    """A household for the case's child (a new case if none), in the child's home district; `child` sets the
    HouseholdChild facts (parent_status, enrolled_in_school, school_class)."""
    from schemes.models import Household, HouseholdChild

    case = case or make_case()
    child_fields = overrides.pop("child", {})
    values = {"district": case.home_district or case.district, "created_by": case.created_by} | overrides
    household = Household.objects.create(**values)
    HouseholdChild.objects.create(household=household, child=case.child, **child_fields)
    return household


def make_household_child(household, case: Case, **overrides):
    from schemes.models import HouseholdChild

    return HouseholdChild.objects.create(household=household, child=case.child, **overrides)


def make_member(household, **overrides):
    from schemes.models import HouseholdMember

    values = {"name": f"Test Member {next(_seq)}", "relation": "mother", "sex": "f", "age_years": 34} | overrides
    return HouseholdMember.objects.create(household=household, **values)


def make_scheme(**overrides):
    """A test scheme of the household, eligible for every household that is resident in the state."""
    from schemes.models import Scheme

    values = {
        "code": f"scheme-{next(_seq)}",
        "name_en": "Test scheme",
        "level": "state",
        "beneficiary": "household",
        "benefit_kind": "service",
        "source": "Test source",
        "rule": {"all": [{"subject": "household", "field": "resident_in_state", "op": "eq", "value": True}]},
    } | overrides
    if "department" not in values:
        values["department"] = make_department()
    return Scheme.objects.create(**values)


def make_linkage(case: Case, scheme, **overrides):
    """A linkage of the case's household (made with make_household first) to the scheme, as identified now."""
    from schemes.models import HouseholdChild, Linkage

    household = HouseholdChild.objects.get(child=case.child).household
    now = timezone.now()
    values = {
        "scheme": scheme,
        "household": household,
        "case": case,
        "district": household.district,
        "block": household.block,
        "department": scheme.department,
        "identified_at": now,
        "identified_by": case.created_by,
        "status_changed_at": now,
    } | overrides
    if scheme.beneficiary == "child" and "child" not in values:
        values["child"] = case.child
    return Linkage.objects.create(**values)


def make_component_template(**overrides):
    """A rehabilitation component template for every child, with no amount and no due days unless told."""
    from rehabilitation.models import ComponentTemplate

    values = {
        "code": f"template-{next(_seq)}",
        "name_en": "Test component",
        "kind": "other",
        "department": "Test department",
        "applies_to": ["all"],
        "source": "Test rule",
    } | overrides
    return ComponentTemplate.objects.create(**values)


def make_package(case: Case, *, components=(), **overrides):
    """A package of the case with components (each a dict of Component fields), its totals kept."""
    from rehabilitation.models import Component, Package
    from rehabilitation.services import package_totals_refresh

    package = Package.objects.create(case=case, **({"created_by": case.created_by} | overrides))
    for fields in components:
        Component.objects.create(package=package, **({"name_en": "Test component", "kind": "other"} | fields))
    return package_totals_refresh(package=package)


# The answers of a follow-up visit that finds the child safe at home, in school and linked to every scheme.
SAFE_VISIT = {
    "found": "seen",
    "living_with_family": True,
    "in_school": True,
    "attendance": "regular",
    "working_again": False,
    "family_migrated": False,
    "health": "good",
    "scheme_access": "all",
}

# The answers of a visit that did not find the child (the family had moved away): a visit that needs a decision.
NOT_FOUND_VISIT = {
    "found": "not_found",
    "living_with_family": None,
    "in_school": None,
    "working_again": None,
    "family_migrated": True,
    "health": "",
    "scheme_access": "none",
}


def make_visit(case: Case, **overrides):
    """A follow-up visit of the case, the next in its sequence, due today unless told."""
    from rehabilitation.models import Visit

    values = {"sequence": Visit.objects.filter(case=case).count() + 1, "due_on": timezone.localdate()} | overrides
    return Visit.objects.create(case=case, **values)


def make_case_at(status: str, cast, places, **overrides) -> Case:
    """A Gaya case at the given status, with what that status implies (produced, placed, restored)."""
    rescued_at = timezone.now() - timedelta(days=30)
    rescue = make_rescue(district=places.gaya, block=places.bodh_gaya, rescued_at=rescued_at, created_by=cast.block)
    values = {
        "rescue": rescue,
        "district": places.gaya,
        "block": places.bodh_gaya,
        "home_block": places.bodh_gaya,
        "status": status,
        "cwc": cast.cwc_institution,
        "status_changed_at": rescued_at,
    }
    if status != Status.RESCUED:
        values["produced_at"] = rescued_at + timedelta(hours=3)
    if status == Status.IN_SHELTER:
        values["cci"] = cast.cci_institution
    if status in AFTER_RESTORATION:
        values["restored_at"] = rescued_at + timedelta(days=10)
    return make_case(**(values | overrides))


def make_link_request(new_case: Case, earlier_case: Case, *, filed_by, **overrides):
    """A pending request, filed now by `filed_by`, to link `new_case` to the child of `earlier_case`."""
    from rescue.models import LinkRequest

    values = {
        "new_case": new_case,
        "earlier_child": earlier_case.child,
        "earlier_case": earlier_case,
        "strength": "strong",
        "score": 90,
        "filed_by": filed_by,
        "filed_at": timezone.now(),
    } | overrides
    return LinkRequest.objects.create(**values)


# --- trackchild_sync (issue 13) --------------------------------------------------------------------------------


def make_residence(institution, **overrides):
    """An open stay in a CCI (a child without a CLTS case unless `case` is given), admitted ten days ago."""
    from trackchild_sync.models import Residence

    today = timezone.localdate()
    values = {
        "institution": institution,
        "cwc": overrides.pop("cwc", None)
        or Institution.objects.filter(kind="cwc", district=institution.district).first()
        or make_institution(kind="cwc", district=institution.district),
        "ordered_on": today - timedelta(days=10),
        "admitted_on": today - timedelta(days=10),
        "name": f"Test Resident {next(_seq)}",
        "sex": "m",
        "age_years": 12,
        "recorded_by": overrides.get("recorded_by") or make_user(Role.ADMIN),
    } | overrides
    return Residence.objects.create(**values)


def make_photo(name: str = "photo.png"):
    """A small PNG (a grey square), as the upload policy would store it."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (128, 128, 128)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def make_missing_report(*, station, recorded_by, **overrides):
    """A boy of ten reported missing today at `station` (FIR 1/2026), in the station's district unless told."""
    from trackchild_sync.models import MissingReport

    today = timezone.localdate()
    values = {
        "station": station,
        "district": station.district,
        "fir_number": "1/2026",
        "reported_on": today,
        "last_seen_on": today,
        "last_seen_place": "Test market",
        "name": "Test Missing Child",
        "sex": "m",
        "age_years": 10,
        "recorded_by": recorded_by,
    } | overrides
    return MissingReport.objects.create(**values)


def make_found_child(*, placed_in, recorded_by, **overrides):
    """A boy found today by a patrol and placed in the home `placed_in`, recorded there by `recorded_by`."""
    from trackchild_sync.models import FoundChild

    values = {
        "found_by": "Test patrol",
        "found_on": timezone.localdate(),
        "found_place": "Test bus stand",
        "district": placed_in.district,
        "placed_in": placed_in,
        "sex": "m",
        "recorded_by": recorded_by,
        "recorded_at_institution": placed_in,
    } | overrides
    return FoundChild.objects.create(**values)
