"""Demo figures for `make run`: a few thousand invented cases across Bihar's districts, two years of months, the
industries, outcomes, rehabilitation packages and scheme linkages, so that the dashboards, trends, cross-tabs and
the monthly PDF show real figures instead of "<5" everywhere. DEBUG only; idempotent; seconds, not minutes.

Rows are written with bulk_create (the services would take minutes for thousands of cases and would send
alerts); they keep every constraint of the models. Names are invented ("Demo child 123"); the numbers in the
case numbers start at 5,000,000 so they never meet the numbers the counter hands out.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from clts.accounts.models import User
from clts.geo.models import Block, District, State
from clts.orgs.models import Institution
from rehabilitation.choices import ComponentStatus
from rehabilitation.models import Component, ComponentTemplate, Package
from rescue.choices import Category, Industry, Interstate, LedBy, Status
from rescue.models import Case, Child, RescueOperation
from schemes.choices import LinkageStatus, RejectionReason
from schemes.models import Household, Linkage, Scheme

DEMO_MARK = "Demo figures"
FIRST_NUMBER = 5_000_000
# Invented weights: some districts send and receive more children than others.
HEAVY = {"Gaya": 6, "Patna": 5, "Katihar": 4, "Purnia": 4, "Araria": 3, "Sitamarhi": 3, "Madhubani": 3}
INDUSTRY_WEIGHTS = {
    Industry.BRICK_KILN: 8,
    Industry.HOTEL_DHABA: 7,
    Industry.GARMENT: 5,
    Industry.DOMESTIC: 4,
    Industry.BANGLE: 4,
    Industry.AGRICULTURE: 3,
    Industry.CONSTRUCTION: 3,
    Industry.AUTOMOBILE: 2,
    Industry.SHOP: 2,
    Industry.FACTORY: 2,
    Industry.MINING: 1,
    Industry.OTHER: 1,
}
# Where the state's children are found working elsewhere (state LGD code, cities).
ELSEWHERE = {
    7: ["New Delhi", "Shahdara"],
    8: ["Jaipur", "Kota"],
    27: ["Mumbai", "Pune"],
    24: ["Surat", "Ahmedabad"],
    3: ["Ludhiana"],
    9: ["Varanasi", "Noida"],
}


class Command(BaseCommand):
    help = "Create a few thousand demo cases with packages and linkages for the dashboards (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--allow-production", action="store_true", help="Seed even when DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("seed_demo_figures writes invented children; it runs only with DEBUG on.")
        if RescueOperation.objects.filter(establishment_name__startswith=DEMO_MARK).exists():
            self.stdout.write("demo figures: already there")
            return
        started = timezone.now()
        created = seed(cases=options["cases"], rng=random.Random(options["seed"]))  # noqa: S311 (invented data)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"demo figures: {created} cases in {seconds:.1f} s")


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def seed(*, cases: int, rng: random.Random) -> int:
    home = State.objects.get(lgd_code=settings.HOME_STATE)
    districts = list(District.objects.filter(state=home).exclude(short_code=""))
    if not districts:
        raise CommandError("Load the districts first (load_lgd).")
    weights = {d: HEAVY.get(d.name_en, 1) for d in districts}
    blocks: dict[int, list[Block]] = {}
    for block in Block.objects.filter(district__in=districts):
        blocks.setdefault(block.district_id, []).append(block)
    others = {s.lgd_code: s for s in State.objects.filter(lgd_code__in=ELSEWHERE)}
    officers = list(User.objects.filter(username__in=["demo-district", "demo-block"])) or list(
        User.objects.filter(is_active=True)[:1]
    )
    if not officers:
        raise CommandError("Run seed_demo first (the demo users record the cases).")
    ccis: dict[int, list[Institution]] = {}
    for cci in Institution.objects.filter(kind=Institution.Kind.CCI):
        ccis.setdefault(cci.district_id, []).append(cci)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()

    rescues, children, rows = [], [], []
    made = 0
    while made < cases:
        rescued_on = today - timedelta(days=int(rng.triangular(0, 730, 120)))
        rescued_at = datetime.combine(rescued_on, time(10, 0), tzinfo=zone)
        outside = bool(others) and rng.random() < 0.3
        where = rng.choice(list(others.values())) if outside else home
        district = None if outside else _weighted(rng, weights)
        rescue = RescueOperation(
            rescued_at=rescued_at,
            state=where,
            district=district,
            block=rng.choice(blocks.get(district.pk, [None])) if district else None,
            city=rng.choice(ELSEWHERE[where.lgd_code]) if outside else "",
            establishment_name=f"{DEMO_MARK} {len(rescues) + 1}",
            industry=_weighted(rng, INDUSTRY_WEIGHTS),
            led_by=rng.choice(LedBy.values),
            created_by=officers[0],
        )
        rescues.append(rescue)
        for _child in range(min(rng.choice([1, 1, 2, 3, 4]), cases - made)):
            made += 1
            other_state_child = not outside and rng.random() < 0.12
            home_district = None if other_state_child else _weighted(rng, weights)
            age = rng.randint(8, 17)
            children.append(
                Child(
                    name=f"Demo child {made}",
                    sex=rng.choices(["m", "f", "o"], weights=[70, 29, 1])[0],
                    age_years=age,
                    age_assessment="declared",
                    home_state=rng.choice(list(others.values())) if other_state_child else home,
                    home_district=home_district,
                    home_block=rng.choice(blocks.get(home_district.pk, [None])) if home_district else None,
                    home_village_text="Demo village",
                )
            )
            rows.append((rescue, home_district, age, other_state_child, outside))
    RescueOperation.objects.bulk_create(rescues, batch_size=1000)
    Child.objects.bulk_create(children, batch_size=1000)

    case_rows = []
    for number, ((rescue, home_district, age, other_state_child, outside), child) in enumerate(
        zip(rows, children, strict=True), start=FIRST_NUMBER
    ):
        rescued_on = timezone.localtime(rescue.rescued_at).date()
        status, restored_at = _outcome(rng, rescued_on, today, zone)
        district = rescue.district or home_district
        case_rows.append(
            Case(
                case_number=f"BR-{district.short_code}-{rescued_on.year}-{number}",
                child=child,
                rescue=rescue,
                category=Category.CHILD if age < 14 else Category.ADOLESCENT,
                age_at_rescue=age,
                rescued_on=rescued_on,
                district=rescue.district,
                block=rescue.block,
                home_district=home_district,
                home_block=child.home_block,
                interstate=Interstate.INBOUND
                if outside
                else (Interstate.OUTBOUND if other_state_child else Interstate.NONE),
                status=status,
                status_changed_at=restored_at or rescue.rescued_at,
                restored_at=restored_at,
                hours_per_day=rng.randint(6, 14),
                hazardous=rng.random() < 0.4,
                bonded=rng.random() < 0.15,
                trafficked=outside or rng.random() < 0.2,
                produced_at=None if status == Status.RESCUED else rescue.rescued_at + timedelta(hours=20),
                cci=rng.choice(ccis[district.pk]) if status == Status.IN_SHELTER and district.pk in ccis else None,
                responsible_officer=rng.choice(officers),
                created_by=officers[0],
            )
        )
    Case.objects.bulk_create(case_rows, batch_size=1000)
    _packages(rng, [c for c in case_rows if c.restored_at], officers[0], today)
    _linkages(rng, [c for c in case_rows if c.restored_at and c.home_district_id], officers[0])
    return len(case_rows)


def _outcome(rng: random.Random, rescued_on, today, zone):
    """Status today from the time since the rescue: older cases have moved further."""
    days = (today - rescued_on).days
    if days < 3:
        return rng.choice([Status.RESCUED, Status.PRODUCED]), None
    if days < 30:
        return rng.choice([Status.PRODUCED, Status.IN_SHELTER, Status.IN_SHELTER]), None
    restored_at = datetime.combine(rescued_on + timedelta(days=rng.randint(10, 28)), time(12, 0), tzinfo=zone)
    draw = rng.random()
    if draw < 0.06:
        return Status.RETRAFFICKED, restored_at
    if draw < 0.1:
        return Status.IN_SHELTER, None
    if draw < 0.13:
        return Status.LOST_CONTACT, restored_at
    if days < 120:
        return rng.choice([Status.RESTORED, Status.REHABILITATION]), restored_at
    if days < 365:
        return rng.choice([Status.REHABILITATION, Status.FOLLOW_UP]), restored_at
    return rng.choice([Status.FOLLOW_UP, Status.CLOSED, Status.CLOSED]), restored_at


def _packages(rng: random.Random, cases: list[Case], officer: User, today) -> None:
    templates = list(ComponentTemplate.objects.filter(amount__isnull=False)[:4])
    if not templates:
        return
    packages = Package.objects.bulk_create([Package(case=case, created_by=officer) for case in cases], batch_size=1000)
    components = []
    for package, case in zip(packages, cases, strict=True):
        restored_on = timezone.localtime(case.restored_at).date()
        for template in rng.sample(templates, k=min(len(templates), rng.randint(1, 3))):
            due_on = restored_on + timedelta(days=rng.choice([30, 60, 90]))
            amount = Decimal(template.amount)
            stage = rng.random() if due_on < today else 0.0
            component = Component(
                package=package,
                template=template,
                name_en=template.name_en,
                name_hi=template.name_hi,
                kind=template.kind,
                planned_amount=amount,
                due_on=due_on,
                status=ComponentStatus.PLANNED,
            )
            if stage > 0.3:
                component.status = ComponentStatus.SANCTIONED
                component.sanctioned_on = due_on - timedelta(days=rng.randint(0, 20))
                component.sanctioned_amount = amount
                component.sanction_order_number = f"DEMO/{package.pk}"
            if stage > 0.5 and component.sanctioned_on + timedelta(days=15) < today:
                component.status = ComponentStatus.DISBURSED
                component.disbursed_on = component.sanctioned_on + timedelta(days=rng.randint(5, 15))
                component.disbursed_amount = amount
                component.disbursement_reference = f"DEMO-{package.pk}"
            components.append(component)
    Component.objects.bulk_create(components, batch_size=1000)


def _linkages(rng: random.Random, cases: list[Case], officer: User) -> None:
    schemes = list(Scheme.objects.all()[:8])
    if not schemes:
        return
    chosen = [case for case in cases if rng.random() < 0.6]
    households = Household.objects.bulk_create(
        [Household(district_id=c.home_district_id, block_id=c.home_block_id, created_by=officer) for c in chosen],
        batch_size=1000,
    )
    linkages = []
    statuses = list(LinkageStatus.values)
    for case, household in zip(chosen, households, strict=True):
        for scheme in rng.sample(schemes, k=min(len(schemes), rng.randint(1, 3))):
            status = rng.choices(statuses, weights=[3, 2, 3, 2, 4, 1])[0]
            at = case.restored_at + timedelta(days=rng.randint(1, 20))
            linkages.append(
                Linkage(
                    scheme=scheme,
                    household=household,
                    case=case,
                    district_id=household.district_id,
                    block_id=household.block_id,
                    department_id=scheme.department_id,
                    status=status,
                    identified_at=at,
                    identified_by=officer,
                    status_changed_at=at,
                    rejection_reason=RejectionReason.DOCUMENTS if status == LinkageStatus.REJECTED else "",
                )
            )
    Linkage.objects.bulk_create(linkages, batch_size=1000)
