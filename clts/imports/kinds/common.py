"""Column readers and columns shared by the kinds of register, so each is written once.

A reader is `read(value, row, context)` (see `Column`): the cell, the fields of the row read so far, and the kind's
context built once per file. Readers here need of the context only what they name: `actor` (whose area the rows
must fall in), `places` (clts.imports.normalise.Places of the home state), `districts` (ids the actor may import
for, None for all) and `institutions` ({kind: {folded name or code: [Institution, ...]}}).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.geo.models import District
from clts.imports import normalise as n
from clts.imports.kinds import Column
from clts.orgs.models import Institution
from rescue.models import Case
from rescue.queries import home_state


def text(value, row, context):
    return n.text(value)


def day(value, row, context):
    return n.parse_date(value)


def plain(reader):
    """A reader of the cell alone (normalise's parse_sex, parse_age, a choice reader) as a column reader."""
    return lambda value, row, context: reader(value)


def max_of(model, name: str) -> int:
    return model._meta.get_field(name).max_length


CASE_ALIASES = ("Case Number", "Case No", "Case No.", "CLTS Case Number", "मामला संख्या", "केस संख्या")


def case_reader(*, write: bool):
    """A case by its number, among the cases the actor may change (`write`) or see; anything else is not found."""

    def read(value, row, context):
        number = n.text(value).upper()
        if not number:
            return None
        cases = Case.objects.writable_by(context.actor) if write else Case.objects.visible_to(context.actor)
        case = cases.select_related("child").filter(case_number=number).first()
        if case is None:
            raise n.Unreadable(_("No case %(number)s in your area.") % {"number": number[:40]})
        return case

    return read


def institutions_by_name(*kinds: str, state=None) -> dict[str, dict[str, list[Institution]]]:
    """The active institutions of these kinds (of one state if given), by folded name and by code (several may
    share a name)."""
    index: dict[str, dict[str, list[Institution]]] = {kind: {} for kind in kinds}
    institutions = Institution.objects.filter(kind__in=kinds, is_active=True).select_related("district")
    for institution in institutions.filter(state=state) if state is not None else institutions:
        for name in {n.place_key(institution.name), institution.code.lower()} - {""}:
            index[institution.kind].setdefault(name, []).append(institution)
    return index


def institution_reader(kind: str, message, *, district_column: str | None = None):
    """An institution of `kind` by name or code; within the row's district when the register gives one (police
    stations of one name are in many districts), and refused when two are equally possible."""

    def read(value, row, context):
        raw = n.text(value)
        if not raw:
            return None
        found = context.institutions[kind].get(raw.lower()) or context.institutions[kind].get(n.place_key(raw), [])
        district = row.get(district_column) if district_column else None
        if district is not None:
            found = [institution for institution in found if institution.district_id == district.pk]
        if not found:
            raise n.Unreadable(message % {"value": raw[:60]})
        allowed = getattr(context, "districts", None)
        if allowed is not None:
            found = [institution for institution in found if institution.district_id in allowed]
            if not found:
                raise n.Unreadable(_("“%(value)s” is outside your area.") % {"value": raw[:60]})
        if len(found) > 1:
            raise n.Unreadable(
                _("More than one is called “%(value)s”: give the district too, or the code.") % {"value": raw[:60]}
            )
        return found[0]

    return read


def districts_of(actor) -> set[int] | None:
    """The districts the actor may import records of (access's one rule); None for the whole state."""
    q = access.scope_filter(actor, access.Scope(district=("pk",), dcpu=("pk",), block=("blocks",)))
    if q == Q():
        return None
    return set(District.objects.filter(q).values_list("pk", flat=True))


class PlacesContext:
    """A kind's context with the home state's places and institutions, and the actor's districts (`district` and
    `institution_reader` read within both)."""

    def __init__(self, actor, *institution_kinds: str):
        self.actor = actor
        home = home_state()
        self.places = n.Places(home)
        self.districts = districts_of(actor)
        self.institutions = institutions_by_name(*institution_kinds, state=home)


def district(value, row, context):
    """A district of the home state (LGD code, name or spelling variant) within the actor's area."""
    found = context.places.district(value)
    if found is not None and context.districts is not None and found.pk not in context.districts:
        raise n.Unreadable(_("%(district)s is outside your area.") % {"district": found.name})
    return found


def bounded(form_field):
    """A whole number within the typed form's own bounds (min_value, max_value of the form's field)."""

    def read(value, row, context):
        number = n.parse_whole(value)
        low, high = getattr(form_field, "min_value", None), getattr(form_field, "max_value", None)
        if number is not None and ((low is not None and number < low) or (high is not None and number > high)):
            raise n.Unreadable(_("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return number

    return read


def description_columns(model, *, only: tuple[str, ...] | None = None, age=None, height=None) -> tuple[Column, ...]:
    """The columns of a child as described in a register (trackchild_sync's ChildDescription: a CCI resident, a
    missing-child report, a found child), with the headers registers give them; `only` picks some."""
    from trackchild_sync.models.description import Complexion

    columns = (
        Column("name", _("Child's name"), ("Child Name", "Name of Child", "Name", "Name of the Child",
               "बच्चे का नाम", "बालक/बालिका का नाम", "नाम"), text, max_length=max_of(model, "name")),
        Column("sex", _("Sex"), ("Sex", "Gender", "M/F", "Boy/Girl", "लिंग"), plain(n.parse_sex)),
        Column("age_years", _("Age (years)"), ("Age", "Age (years)", "Age in years", "Age (yrs)", "उम्र", "आयु",
               "उम्र (वर्ष)"), age or plain(n.parse_age)),
        Column("date_of_birth", _("Date of birth"), ("Date of Birth", "DOB", "D.O.B", "जन्म तिथि", "जन्म तारीख"),
               day),
        Column("height_cm", _("Height (cm)"), ("Height", "Height (cm)", "Height in cm", "लंबाई", "ऊँचाई",
               "कद"), height or plain(n.parse_whole)),
        Column("complexion", _("Complexion"), ("Complexion", "Colour", "Color", "रंग", "रंगत"),
               plain(n.choice_reader(Complexion))),
        Column("identifying_marks", _("Identifying marks"), ("Identification Marks", "Identifying Marks",
               "Identification Mark", "Marks", "पहचान चिह्न", "पहचान चिन्ह"), text),
        Column("languages", _("Languages spoken"), ("Languages", "Language", "Languages Spoken", "भाषा",
               "बोली जाने वाली भाषा"), text, max_length=max_of(model, "languages")),
        Column("guardian_name", _("Guardian's name"), ("Guardian", "Father's Name", "Guardian's Name",
               "Parent/Guardian", "अभिभावक का नाम", "पिता का नाम"), text, max_length=max_of(model, "guardian_name")),
    )  # fmt: skip
    return tuple(column for column in columns if only is None or column.name in only)


def description_of(row: dict, names=("name", "sex", "age_years", "date_of_birth", "height_cm", "complexion",
                                      "identifying_marks", "languages", "guardian_name")) -> dict:  # fmt: skip
    """The description's fields given in the row (the model's defaults for the others)."""
    return {name: row[name] for name in names if row.get(name) not in (None, "")}
