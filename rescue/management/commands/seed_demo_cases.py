"""Demo rescues and cases for `make run` (after seed_demo): invented children, real Bihar places, DEBUG only."""

from datetime import timedelta

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from clts.accounts.models import User
from clts.geo.models import Block, District, State
from clts.orgs.models import Institution
from rescue.models import Case, Status
from rescue.services import case_transition, rescue_register

DEMO_MARK = "Demo establishment"


def _child(name, *, sex="m", age=12, home_district, home_block=None, **extra) -> dict:
    return {
        "name": name,
        "sex": sex,
        "age_years": age,
        "age_assessment": "declared",
        "father_name": f"{name.split()[-1]} Senior (demo)",
        "home_state": home_district.state,
        "home_district": home_district,
        "home_block": home_block,
        "home_village_text": "Demo village",
        "hours_per_day": 10,
        "confirmed_new": True,
    } | extra


class Command(BaseCommand):
    help = "Create a few demo rescues in Gaya (one child restored, one interstate, one transferred); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Seed even when DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("seed_demo_cases writes invented children; it runs only with DEBUG on.")
        if Case.objects.filter(rescue__establishment_name__startswith=DEMO_MARK).exists():
            self.stdout.write("demo cases: already there")
            return
        try:
            block_officer = User.objects.get(username="demo-block")
            district_officer = User.objects.get(username="demo-district")
            cwc_member = User.objects.get(username="demo-cwc")
        except User.DoesNotExist as missing:
            raise CommandError("Run seed_demo first.") from missing
        bihar = State.objects.get(lgd_code=settings.HOME_STATE)
        gaya = District.objects.get(state=bihar, name_en="Gaya")
        patna = District.objects.get(state=bihar, name_en="Patna")
        bodhgaya = Block.objects.get(district=gaya, name_en="Bodhgaya")
        cci = Institution.objects.get(kind=Institution.Kind.CCI, district=gaya, name__startswith="Children's Home")
        rajasthan = State.objects.get(name_en="Rajasthan")
        now = timezone.now()

        with pghistory.context(user=block_officer.pk, url="seed_demo_cases"):
            kiln = rescue_register(
                actor=block_officer,
                rescue_data={
                    "rescued_at": now - timedelta(days=40),
                    "state": bihar,
                    "district": gaya,
                    "block": bodhgaya,
                    "establishment_name": f"{DEMO_MARK}: brick kiln",
                    "industry": "brick_kiln",
                    "led_by": "labour",
                    "sections": ["CALPRA 3"],
                    # The CWC the children go before: its member then records the production and the orders.
                    "cwc": cwc_member.institution,
                },
                children_data=[
                    _child("Demo Arun Kumar", home_district=gaya, home_block=bodhgaya),
                    _child("Demo Sita Kumari", sex="f", age=11, home_district=gaya, home_block=bodhgaya),
                    _child("Demo Raju Manjhi", age=15, home_district=gaya, home_block=bodhgaya),
                ],
            )
            restored, produced, _rescued = kiln.cases.order_by("id")
            produced_at = now - timedelta(days=40) + timedelta(hours=20)
            for case in (restored, produced):
                case_transition(
                    case=case, to=Status.PRODUCED, actor=cwc_member, reason="Produced the same day", at=produced_at
                )
            case_transition(
                case=restored,
                to=Status.IN_SHELTER,
                actor=cwc_member,
                reason="Interim shelter order",
                at=produced_at + timedelta(hours=2),
                cci=cci,
            )
            case_transition(
                case=restored,
                to=Status.RESTORED,
                actor=cwc_member,
                reason="Restoration to the mother ordered",
                at=now - timedelta(days=30),
            )

        with pghistory.context(user=district_officer.pk, url="seed_demo_cases"):
            rescue_register(
                actor=district_officer,
                rescue_data={
                    "rescued_at": now - timedelta(days=12),
                    "state": rajasthan,
                    "district_text": "Jaipur",
                    "city": "Jaipur",
                    "establishment_name": f"{DEMO_MARK}: bangle workshop",
                    "industry": "bangle",
                    "led_by": "ahtu",
                    "rescuing_authority": "AHTU Jaipur (demo)",
                },
                children_data=[_child("Demo Imran Ansari", age=13, home_district=gaya, home_block=bodhgaya)],
            )
            rescue_register(
                actor=district_officer,
                rescue_data={
                    "rescued_at": now - timedelta(days=5),
                    "state": bihar,
                    "district": gaya,
                    "establishment_name": f"{DEMO_MARK}: roadside dhaba",
                    "industry": "hotel_dhaba",
                    "led_by": "task_force",
                },
                children_data=[_child("Demo Vikram Paswan", age=14, home_district=patna)],
            )
        self.stdout.write(
            f"demo cases: {Case.objects.filter(rescue__establishment_name__startswith=DEMO_MARK).count()} created"
        )
