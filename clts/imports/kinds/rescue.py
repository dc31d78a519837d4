"""Registers of rescued children: one line per child, with the rescue it came from and its production before the CWC.

A row becomes one `rescue.services.bulk` row (the same fields `rescue_register` takes), is checked by the
registration's own validation, and is written by `rescue_register_rows`: case numbers, the starting status, the
production event and transfers come from the rescue app, never from the file. A child already in CLTS (the same
child registered for the same rescue) is counted and left out, so a register overlapping an earlier import adds
only its new children.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from functools import lru_cache

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clts.imports import normalise as n
from clts.imports.kinds import Column, Prepared, RegisterKind
from clts.orgs.models import Institution
from rescue.choices import AgeAssessment, EducationLevel, Industry, LedBy
from rescue.earlier import registry_mark, strong_earlier_records
from rescue.matching import name_key
from rescue.models import Case, Child, RescueOperation
from rescue.queries import home_state
from rescue.services.bulk import rescue_register_rows, rescue_rows_check, rescue_rows_keys

_industry = n.choice_reader(Industry)
_led_by = n.choice_reader(LedBy)
_assessment = n.choice_reader(AgeAssessment)
_education = n.choice_reader(EducationLevel)


@lru_cache(maxsize=200_000)
def _key(*names: str) -> str:
    """rescue.matching.name_key, once per distinct spelling: fathers' and mothers' names repeat down a register."""
    return name_key(*names)


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(value, row, context):
    return n.text(value)


def _date(value, row, context):
    return n.parse_date(value)


def _district(value, row, context):
    return context.places.district(value)


def _home_district(value, row, context):
    return context.places.district(value)


def _block(value, row, context):
    return context.places.block(value, row.get("district"))


def _home_block(value, row, context):
    return context.places.block(value, row.get("home_district"))


def _home_state(value, row, context):
    raw = n.text(value)
    if not raw:
        return None
    state = context.states.get(n.place_key(raw))
    if state is None:
        raise n.Unreadable(_("No state or union territory is called “%(value)s”.") % {"value": raw[:60]})
    return state


def _cwc(value, row, context):
    raw = n.text(value)
    if not raw:
        return None
    district = row.get("district")
    for cwc in context.cwcs.get(district.pk if district else None, []):
        if n.place_key(cwc.name) == n.place_key(raw):
            return cwc
    raise n.Unreadable(
        _("No Child Welfare Committee of the rescue's district is called “%(value)s”.") % {"value": raw[:60]}
    )


def _read(reader):
    return lambda value, row, context: reader(value)


class _Context:
    def __init__(self):
        self.home = home_state()
        self.places = n.Places(self.home)
        from clts.geo.models import State

        self.states = {}
        for state in State.objects.all():
            for name in (state.name_en, state.name_hi, state.short_code):
                if name:
                    self.states[n.place_key(name)] = state
        self.cwcs: dict[int | None, list[Institution]] = {}
        for cwc in Institution.objects.filter(kind=Institution.Kind.CWC, is_active=True):
            self.cwcs.setdefault(cwc.district_id, []).append(cwc)
        # Row index -> its matching keys, worked out by the check and taken by find_existing.
        self.keys: dict[int, tuple] = {}

    def fingerprint(self) -> str:
        """A digest of everything read here (the places, states and CWCs the cells are read against)."""
        places = [*self.places.district_codes.values(), *(p for p in self.places.districts.values() if p)]
        blocks = [*self.places.block_codes.values()]
        blocks += [block for index in self.places.blocks.values() for block in index.values() if block]
        cwcs = [cwc for group in self.cwcs.values() for cwc in group]
        described = sorted(
            {
                *((d.pk, "d", d.lgd_code, d.name_en, d.name_hi, d.short_code, d.state_id) for d in places),
                *((b.pk, "b", b.lgd_code, b.name_en, b.name_hi, b.district_id) for b in blocks),
                *((s.pk, "s", s.name_en, s.name_hi, s.short_code) for s in self.states.values()),
                *((c.pk, "c", c.name, c.district_id) for c in cwcs),
            },
            key=repr,
        )
        return hashlib.sha256(repr((self.home.pk, described)).encode()).hexdigest()


COLUMNS = (
    Column("name", _("Child's name"), ("Child Name", "Name of Child", "Name of the Child", "Child", "Name",
           "Name of rescued child", "बच्चे का नाम", "बच्चे का नाम", "बालक का नाम", "बालक/बालिका का नाम", "नाम"),
           _text, required=True, max_length=_max(Child, "name")),
    Column("alias", _("Other name"), ("Alias", "Other Name", "Also known as", "उपनाम", "दूसरा नाम"), _text,
           max_length=_max(Child, "alias")),
    Column("sex", _("Sex"), ("Sex", "Gender", "M/F", "Boy/Girl", "लिंग"), _read(n.parse_sex), required=True),
    Column("date_of_birth", _("Date of birth"), ("Date of Birth", "DOB", "D.O.B", "Birth Date", "जन्म तिथि",
           "जन्म तारीख", "जन्म की तारीख"), _date),
    Column("age_years", _("Age (years)"), ("Age", "Age (years)", "Age in years", "Age at rescue", "Age (yrs)", "उम्र",
           "आयु", "उम्र (वर्ष)", "आयु (वर्ष)"), _read(n.parse_age)),
    Column("age_assessment", _("Age assessed by"), ("Age assessed by", "Age proof", "Basis of age", "Age basis",
           "आयु का आधार", "उम्र का आधार"), _read(_assessment)),
    Column("father_name", _("Father's name"), ("Father's Name", "Father Name", "Name of Father", "Father",
           "पिता का नाम", "पिता"), _text, max_length=_max(Child, "father_name")),
    Column("mother_name", _("Mother's name"), ("Mother's Name", "Mother Name", "Name of Mother", "Mother",
           "माता का नाम", "माँ का नाम", "माता"), _text, max_length=_max(Child, "mother_name")),
    Column("guardian_name", _("Guardian's name"), ("Guardian", "Guardian's Name", "Guardian Name",
           "अभिभावक का नाम", "अभिभावक"), _text, max_length=_max(Child, "guardian_name")),
    Column("home_state", _("Home state"), ("Home State", "Native State", "State of origin", "गृह राज्य",
           "मूल राज्य"), _home_state, help=_("Left empty: the portal's own state.")),
    Column("home_district", _("Home district"), ("Home District", "Native District", "District of origin",
           "Permanent District", "गृह जिला", "गृह जनपद", "मूल जिला"), _home_district),
    Column("home_block", _("Home block"), ("Home Block", "Native Block", "गृह प्रखंड", "मूल प्रखंड"), _home_block),
    Column("home_village_text", _("Village"), ("Village", "Home Village", "Native Village", "Gram", "गाँव", "गांव",
           "ग्राम"), _text, max_length=_max(Child, "home_village_text")),
    Column("home_address", _("Home address"), ("Address", "Home Address", "Permanent Address", "पता", "स्थायी पता"),
           _text),
    Column("education_level", _("Education"), ("Education", "Education Level", "Schooling", "शिक्षा",
           "शैक्षणिक स्तर"), _read(_education)),
    Column("rescued_on", _("Date of rescue"), ("Date of Rescue", "Rescue Date", "Rescued On", "Date of raid",
           "Raid Date", "विमुक्ति की तिथि", "विमुक्ति तिथि", "मुक्ति की तिथि", "रेस्क्यू की तिथि", "छापे की तिथि"),
           _date, required=True),
    Column("district", _("District of rescue"), ("District", "Rescue District", "District of Rescue",
           "District of raid", "जिला", "विमुक्ति का जिला", "विमुक्ति जिला"), _district, required=True),
    Column("block", _("Block of rescue"), ("Block", "Rescue Block", "Block of Rescue", "प्रखंड", "ब्लॉक",
           "विमुक्ति का प्रखंड"), _block),
    Column("locality", _("Place of rescue"), ("Place of Rescue", "Locality", "Place", "Rescue Place", "Area",
           "विमुक्ति का स्थान", "स्थान"), _text, max_length=_max(RescueOperation, "locality")),
    Column("establishment_name", _("Establishment"), ("Establishment", "Name of Establishment",
           "Establishment Name", "Shop/Factory", "प्रतिष्ठान", "प्रतिष्ठान का नाम"), _text,
           max_length=_max(RescueOperation, "establishment_name")),
    Column("industry", _("Type of work"), ("Industry", "Type of Work", "Occupation", "Sector", "Work",
           "Nature of work", "उद्योग", "काम का प्रकार", "कार्य का प्रकार", "कार्य"), _read(_industry), required=True),
    Column("employer_name", _("Employer"), ("Employer", "Employer Name", "Name of Employer", "Owner",
           "नियोजक", "नियोजक का नाम", "मालिक का नाम"), _text, max_length=_max(RescueOperation, "employer_name")),
    Column("led_by", _("Rescue led by"), ("Led by", "Rescued by", "Raid by", "Rescue by", "Agency",
           "विमुक्ति दल", "नेतृत्व", "विमुक्ति किसने की"), _read(_led_by), required=True),
    Column("fir_number", _("FIR number"), ("FIR No", "FIR Number", "FIR", "प्राथमिकी संख्या", "एफआईआर संख्या"),
           _text, max_length=_max(RescueOperation, "fir_number")),
    Column("police_station", _("Police station"), ("Police Station", "PS", "P.S.", "Thana", "थाना"), _text,
           max_length=_max(RescueOperation, "police_station")),
    Column("hours_per_day", _("Hours of work per day"), ("Hours per day", "Working hours", "Hours of work",
           "प्रतिदिन काम के घंटे", "काम के घंटे"), _read(n.parse_whole)),
    Column("wage_per_month", _("Wage per month"), ("Wage", "Wage per month", "Monthly wage", "Salary",
           "मासिक मजदूरी", "मजदूरी"), _read(n.parse_amount)),
    Column("months_employed", _("Months employed"), ("Months employed", "Duration of work (months)",
           "कितने महीने से काम", "काम की अवधि (महीने)"), _read(n.parse_whole)),
    Column("hazardous", _("Hazardous work"), ("Hazardous", "Hazardous work", "खतरनाक", "खतरनाक कार्य"),
           _read(n.parse_yes_no)),
    Column("bonded", _("Bonded labour"), ("Bonded", "Bonded labour", "बंधुआ", "बंधुआ मजदूरी"), _read(n.parse_yes_no)),
    Column("trafficked", _("Trafficked"), ("Trafficked", "Trafficking", "तस्करी"), _read(n.parse_yes_no)),
    Column("produced_on", _("Date of production before CWC"), ("Date of Production", "Production Date",
           "Produced before CWC on", "CWC Production Date", "Date produced before CWC", "प्रस्तुति की तिथि",
           "बाल कल्याण समिति के समक्ष प्रस्तुति की तिथि", "सीडब्ल्यूसी के समक्ष प्रस्तुति की तिथि"), _date),
    Column("cwc", _("CWC"), ("CWC", "Child Welfare Committee", "बाल कल्याण समिति"), _cwc,
           help=_("Left empty: the CWC of the district of rescue, when it has one.")),
    Column("late_reason", _("Reason for late production"), ("Reason for delay", "Reason for late production",
           "Delay reason", "देरी का कारण", "विलंब का कारण"), _text),
)  # fmt: skip


def _at(day) -> datetime | None:
    # Registers give days; the time is taken as the day's start in the portal's time zone.
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


class RescueRegister(RegisterKind):
    columns = COLUMNS
    duplicate_note = _("Left out: the same rescue of the same child")
    rows_independent = True  # each row's rules and its comparison with CLTS; the same row twice is found after
    error_columns = {
        "rescue.rescued_at": "rescued_on",
        "rescue.state": "district",
        "rescue.district": "district",
        "rescue.block": "block",
        "rescue.district_text": "district",
        "rescue.rescuing_authority": "led_by",
        "rescue.cwc": "cwc",
        "rescue.produced_at": "produced_on",
        "rescue.late_reason": "late_reason",
        "rescue.__all__": "name",
    }

    def context(self, *, actor):
        return _Context()

    def registry_mark(self, *, actor, context):
        # The places and CWCs read, the children and cases compared with (rescue.earlier.registry_mark: any child or
        # case written since changes it), and who checks (the same admin commits what they checked).
        return [actor.pk, context.fingerprint(), registry_mark()]

    def complete(self, row: dict, context) -> dict:
        row = dict(row)
        row["rescued_at"] = _at(row.pop("rescued_on", None))
        row["produced_at"] = _at(row.pop("produced_on", None))
        row["state"] = context.home
        row.setdefault("home_state", None)
        row["home_state"] = row["home_state"] or context.home
        if row["produced_at"] and row.get("cwc") is None and row.get("district"):
            cwcs = context.cwcs.get(row["district"].pk, [])
            row["cwc"] = cwcs[0] if len(cwcs) == 1 else None
        for name in ("hazardous", "bonded", "trafficked"):
            if row.get(name) is None:
                row.pop(name, None)
        # The matching keys, computed once for the duplicate checks and passed to the registration.
        row["name_key"] = _key(row.get("name") or "", row.get("alias") or "")
        row["guardian_key"] = _key(
            row.get("father_name") or "", row.get("mother_name") or "", row.get("guardian_name") or ""
        )
        return row

    def check(self, prepared: Prepared, *, actor, context) -> None:
        indexes = [i for i in range(len(prepared.rows)) if i not in prepared.errors]
        keys_found: dict[int, tuple] = {}
        found = rescue_rows_check(actor=actor, rows=[prepared.rows[i] for i in indexes], keys_found=keys_found)
        context.keys = {indexes[position]: row_keys for position, row_keys in keys_found.items()}
        for position, keys in found.items():
            index = indexes[position]
            for key, messages in keys.items():
                column = self.error_columns.get(key) or key.removeprefix("children.0.")
                for message in messages:
                    prepared.errors.setdefault(index, []).append((column, message))

    def same_row_key(self, row: dict):
        return (
            row["name_key"],
            row["guardian_key"],
            row.get("sex"),
            row.get("date_of_birth"),
            row.get("age_years"),
            row.get("rescued_at"),
            row.get("district"),
        )

    def find_existing(self, prepared: Prepared, *, actor, context) -> None:
        """A child already in CLTS for the same rescue: same name and guardians' keys, same day and district."""
        wanted: dict[tuple, list[int]] = {}
        zone = timezone.get_current_timezone()
        for index, row in enumerate(prepared.rows):
            if index in prepared.errors or not row.get("rescued_at") or not row.get("district"):
                continue
            key = (
                row["name_key"],
                row["guardian_key"],
                timezone.localdate(row["rescued_at"], zone),
                row["district"].pk,
            )
            wanted.setdefault(key, []).append(index)
        keys = list(wanted)
        for start in range(0, len(keys), 2000):
            chunk = keys[start : start + 2000]
            names = {key[0] for key in chunk}
            days = {key[2] for key in chunk}
            found = (
                Case.objects.filter(child__name_key__in=names, rescued_on__in=days)
                .filter(Q(district_id__in={key[3] for key in chunk}))
                .values_list("child__name_key", "child__guardian_key", "rescued_on", "district_id", "case_number")
            )
            for name, guardian, day, district, number in found:
                for index in wanted.get((name, guardian, day, district), []):
                    prepared.duplicates[index] = number
        # The matching engine: a child probably in CLTS already (rescued before, or registered under another
        # spelling) is imported with a link request, for the district holding the earlier record to decide.
        rest = [i for i in range(len(prepared.rows)) if i not in prepared.errors and i not in prepared.duplicates]
        # Each row's keys hashed once (by the check, from the row as it settled it): looked up now, and the new
        # child's kept for the write (`match_keys`).
        known, context.keys = context.keys, {}
        missing = [i for i in rest if i not in known]
        known.update(zip(missing, rescue_rows_keys([prepared.rows[i] for i in missing]), strict=True))
        found = [known[i] for i in rest]
        for i, (_record, _looked_up, kept) in zip(rest, found, strict=True):
            prepared.rows[i]["match_keys"] = kept
        strong = strong_earlier_records([record for record, _k, _s in found], [looked for _r, looked, _s in found])
        for position, earlier in strong.items():
            index = rest[position]
            prepared.rows[index]["earlier"] = earlier
            prepared.earlier[index] = earlier.case_number

    def write(self, prepared: Prepared, *, actor, context, progress) -> int:
        rows = [row for index, row in enumerate(prepared.rows) if index not in prepared.duplicates]
        return len(rescue_register_rows(actor=actor, rows=rows, progress=progress))
