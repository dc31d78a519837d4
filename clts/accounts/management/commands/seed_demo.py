"""Demo users, one per role, in real Bihar places (after `load_lgd`). Synthetic people only."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.geo.models import Block, District, State
from clts.orgs.models import Department, Institution

# Documented in the README; accepted only when DEBUG is on (or with --allow-production for a training server).
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (published demo password, refused without DEBUG)

DEMO_USERS = [
    # username, role, first name, last name, designation
    ("demo-state", Role.STATE, "Asha", "Verma", "Joint Secretary, Labour Resources Department"),
    ("demo-district", Role.DISTRICT, "Ravi", "Prakash", "Labour Superintendent, Gaya"),
    ("demo-block", Role.BLOCK, "Sunita", "Kumari", "Labour Enforcement Officer, Bodhgaya"),
    ("demo-cwc", Role.CWC, "Meena", "Sinha", "Chairperson, CWC Gaya"),
    ("demo-cci", Role.CCI, "Anil", "Mishra", "Superintendent, Children's Home Gaya"),
    ("demo-field", Role.FIELD, "Pooja", "Rani", "Field worker, Bodhgaya"),
    ("demo-nodal", Role.NODAL, "Vikas", "Sharma", "Nodal officer, Food and Consumer Protection"),
    ("demo-police", Role.POLICE, "Rakesh", "Yadav", "Station House Officer, Bodhgaya police station"),
    ("demo-dcpu", Role.DCPU, "Nisha", "Kumari", "District Child Protection Officer, Gaya"),
    ("demo-outsider", Role.DISTRICT, "Kamal", "Das", "Labour Superintendent, Patna"),
    ("demo-admin", Role.ADMIN, "Admin", "User", "System administrator"),
]


class Command(BaseCommand):
    help = "Create one demo user per role (password in the README) in Gaya, Bihar; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Seed even when DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("seed_demo creates users with a published password; it runs only with DEBUG on.")
        try:
            bihar = State.objects.get(lgd_code=settings.HOME_STATE)
            gaya = District.objects.get(state=bihar, name_en="Gaya")
            patna = District.objects.get(state=bihar, name_en="Patna")
            bodhgaya = Block.objects.get(district=gaya, name_en="Bodhgaya")
        except (State.DoesNotExist, District.DoesNotExist, Block.DoesNotExist) as missing:
            raise CommandError("Load the geography first: manage.py load_lgd") from missing

        cwc, _ = Institution.objects.get_or_create(
            kind=Institution.Kind.CWC, district=gaya, name="Child Welfare Committee, Gaya", defaults={"state": bihar}
        )
        cci, _ = Institution.objects.get_or_create(
            kind=Institution.Kind.CCI, district=gaya, name="Children's Home (Boys), Gaya", defaults={"state": bihar}
        )
        police, _ = Institution.objects.get_or_create(
            kind=Institution.Kind.POLICE, district=gaya, name="Bodhgaya police station", defaults={"state": bihar}
        )
        dcpu, _ = Institution.objects.get_or_create(
            kind=Institution.Kind.DCPU,
            district=gaya,
            name="District Child Protection Unit, Gaya",
            defaults={"state": bihar},
        )
        food, _ = Department.objects.get_or_create(
            code="food",
            defaults={"name_en": "Food and Consumer Protection Department", "name_hi": "खाद्य एवं उपभोक्ता संरक्षण विभाग"},
        )
        jurisdiction = {
            Role.STATE: {"state": bihar},
            Role.DISTRICT: {"state": bihar, "district": gaya},
            Role.BLOCK: {"state": bihar, "district": gaya, "block": bodhgaya},
            Role.CWC: {"state": bihar, "district": gaya, "institution": cwc},
            Role.CCI: {"state": bihar, "district": gaya, "institution": cci},
            Role.FIELD: {"state": bihar, "district": gaya, "block": bodhgaya},
            Role.POLICE: {"state": bihar, "district": gaya, "institution": police},
            Role.DCPU: {"state": bihar, "district": gaya, "institution": dcpu},
            Role.NODAL: {"state": bihar, "department": food},
            Role.ADMIN: {"state": bihar, "is_staff": True, "is_superuser": True},
        }
        created = 0
        for username, role, first, last, designation in DEMO_USERS:
            values = {"role": role, "first_name": first, "last_name": last, "designation": designation}
            values |= jurisdiction[role]
            if username == "demo-outsider":
                values["district"] = patna
            user, was_created = User.objects.update_or_create(username=username, defaults=values)
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
        self.stdout.write(f"demo users: {created} created, {len(DEMO_USERS) - created} already there")
        for command in getattr(settings, "DEMO_SEED_COMMANDS", []):
            call_command(command, stdout=self.stdout)
