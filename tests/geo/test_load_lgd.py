"""The load_lgd command: shipped data, idempotence, LGD file quirks, villages, and all-or-nothing loads."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clts.geo.loaders import SHIPPED_FILES, english_name
from clts.geo.models import Block, District, Panchayat, State, Village

BIHAR = 10
VILLAGE_HEADER = (
    "State Code,State Name,District Code,District Name,Sub-District Code,Sub-District Name,Village Code,"
    "Village Version,Village Name (In English),Village Name (In Local language),Census 2001 Code,Census 2011 Code"
)


def run(*args):
    out = StringIO()
    call_command("load_lgd", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def counts():
    return tuple(model.objects.count() for model in (State, District, Block, Panchayat, Village))


@pytest.fixture
def shipped(db):
    run()


@pytest.mark.django_db
def test_shipped_files_give_every_state_and_every_bihar_district():
    output = run()

    assert State.objects.count() == 36
    assert State.objects.filter(is_union_territory=True).count() == 8
    bihar = State.objects.get(lgd_code=BIHAR)
    assert (bihar.name_en, bihar.name_hi, bihar.short_code) == ("Bihar", "बिहार", "BR")
    state_codes = list(State.objects.values_list("short_code", flat=True))
    assert all(state_codes) and len(set(state_codes)) == 36

    districts = District.objects.filter(state=bihar)
    assert districts.count() == 38
    short_codes = list(districts.values_list("short_code", flat=True))
    assert all(len(code) == 3 and code.isupper() for code in short_codes)
    assert len(set(short_codes)) == 38
    gaya = districts.get(lgd_code=196)
    assert (gaya.name_en, gaya.name_hi, gaya.short_code) == ("Gaya", "गया", "GAY")
    assert districts.get(lgd_code=212).short_code == "PAT"
    assert "Districts: 38 rows; 38 created" in output


@pytest.mark.django_db
def test_shipped_blocks_cover_all_of_bihar(shipped):
    districts_with_blocks = District.objects.filter(blocks__isnull=False).distinct()
    assert districts_with_blocks.count() == 38
    assert Block.objects.filter(district__lgd_code=212).count() == 26  # Patna
    assert Block.objects.filter(district__lgd_code=196).count() == 24  # Gaya
    assert Block.objects.filter(district__lgd_code=208).count() == 16  # Muzaffarpur
    bodh_gaya = Block.objects.get(lgd_code=1737)
    assert (bodh_gaya.name_en, bodh_gaya.district.name_en) == ("Bodhgaya", "Gaya")
    assert Block.objects.get(lgd_code=1929).name_en == "Bagaha-II"


@pytest.mark.django_db
def test_running_twice_changes_nothing(shipped):
    before = counts()
    ids = set(Block.objects.values_list("pk", flat=True))

    output = run()

    assert counts() == before
    assert set(Block.objects.values_list("pk", flat=True)) == ids
    assert "0 created, 0 updated, 537 unchanged" in output


@pytest.mark.django_db
def test_missing_required_column_names_file_and_column_and_writes_nothing(tmp_path):
    districts = write(tmp_path, "districts.csv", "State Code,District Code,Census 2011 Code\n10,196,236\n")
    states = write(tmp_path, "states.csv", "State Code,State Name (In English)\n10,BIHAR\n")

    with pytest.raises(CommandError) as error:
        run("--states", states, "--districts", districts)

    assert "districts.csv" in str(error.value)
    assert '"District Name (In English)"' in str(error.value)
    assert counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_a_bad_row_late_in_the_load_rolls_everything_back(tmp_path):
    blocks = write(
        tmp_path,
        "blocks.csv",
        "State Code,District Code,Block Code,Block Name (In English)\n10,196,1737,Bodhgaya\n10,196,17X8,Dobhi\n",
    )

    # States and districts are written first, in the same transaction as the failing blocks file.
    with pytest.raises(CommandError) as error:
        run("--states", SHIPPED_FILES["states"], "--districts", SHIPPED_FILES["districts"], "--blocks", blocks)

    assert "blocks.csv, line 3" in str(error.value)
    assert "Block Code" in str(error.value)
    assert counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_villages_file_attaches_to_the_district_by_lgd_code(shipped, tmp_path):
    villages = write(
        tmp_path,
        "villages.csv",
        f"{VILLAGE_HEADER}\n"
        "10,BIHAR,196,GAYA,01234,BODH GAYA,900001,1,TESTGAON,टेस्टगांव,,\n"
        "10,BIHAR,196,GAYA,01234,BODH GAYA,900002,1,NAYA TESTGAON,,,\n"
        "10,BIHAR,212,PATNA,01240,PATNA RURAL,,1,Testgaon Khurd,TESTGAON KHURD,,\n",
    )

    output = run("--villages", villages)

    assert "Villages: 3 rows; 3 created" in output
    testgaon = Village.objects.get(lgd_code=900001)
    assert testgaon.district.lgd_code == 196
    assert (testgaon.name_en, testgaon.name_hi, testgaon.sub_district) == ("Testgaon", "टेस्टगांव", "Bodh Gaya")
    khurd = Village.objects.get(name_en="Testgaon Khurd")
    assert (khurd.district.name_en, khurd.lgd_code, khurd.name_hi) == ("Patna", None, "")
    # The shipped data is untouched by a villages-only load.
    assert (State.objects.count(), District.objects.count(), Block.objects.count()) == (36, 38, 537)


@pytest.mark.django_db
def test_reloading_villages_updates_names_and_fills_codes_without_duplicates(shipped, tmp_path):
    first = write(
        tmp_path,
        "v1.csv",
        f"{VILLAGE_HEADER}\n10,BIHAR,196,GAYA,1,X,900001,1,TESTGAON,,,\n10,BIHAR,196,GAYA,1,X,,1,Purana Testgaon,,,\n",
    )
    second = write(
        tmp_path,
        "v2.csv",
        f"{VILLAGE_HEADER}\n"
        "10,BIHAR,196,GAYA,1,X,900001,2,TESTGAON KALAN,,,\n"
        "10,BIHAR,196,GAYA,1,X,900003,1,PURANA TESTGAON,,,\n",
    )
    run("--villages", first)

    output = run("--villages", second)

    assert "0 created, 2 updated" in output
    assert Village.objects.count() == 2
    assert Village.objects.get(lgd_code=900001).name_en == "Testgaon Kalan"
    assert Village.objects.get(name_en="Purana Testgaon").lgd_code == 900003


@pytest.mark.django_db
def test_villages_link_to_block_and_panchayat_when_the_file_gives_their_codes(shipped, tmp_path):
    panchayats = write(
        tmp_path,
        "panchayats.csv",
        "State Code,District Code,Block Code,Block Name,Local Body Code,Local Body Name (In English)\n"
        "10,196,1737,BODHGAYA,800001,TESTPUR\n",
    )
    villages = write(
        tmp_path,
        "villages.csv",
        "State Code,District Code,Village Code,Village Name (In English),Local Body Code\n"
        "10,196,900001,Testgaon,800001\n",
    )

    run("--panchayats", panchayats, "--villages", villages)

    village = Village.objects.get(lgd_code=900001)
    assert village.panchayat.name_en == "Testpur"
    assert village.block.lgd_code == 1737


@pytest.mark.django_db
def test_lgd_download_with_bom_header_variants_and_quirks_loads(tmp_path):
    # As LGD and its mirrors publish them: a BOM, "S.No.", both name columns headed "State Name", a local name
    # that only repeats the English one, codes written 28.0 by a spreadsheet, comments, blank lines.
    states = write(
        tmp_path,
        "states.csv",
        "S.No.,State Code,State Version,State Name,State Name,Census 2001 Code,Census 2011 Code,State or UT\n"
        "# downloaded from lgdirectory.gov.in\n"
        "\n"
        '"1","10.0","1",BIHAR,BIHAR,10,10,S\n'
        "2,38,1,THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU,,,,U\n"
        ",,,,,,,\n",
        encoding="utf-8-sig",
    )
    districts = write(
        tmp_path,
        "districts.csv",
        "\ufeffS.No.,State Code,State Name          (In English),District Code,District Name(In English),"
        "District Name (In Local language),Census 2001 Code,Census2011 Code,Extra\n"
        "1,10,BIHAR,196,GAYA,गया,35,236,ignored\n"
        "2,10,BIHAR,212,PATNA,PATNA,28,230,\n"
        "3,9,UTTAR PRADESH,118,AGRA,,,,\n",
    )

    output = run("--states", states, "--districts", districts)

    bihar = State.objects.get(lgd_code=BIHAR)
    assert (bihar.name_en, bihar.name_hi, bihar.is_union_territory) == ("Bihar", "", False)
    dnhdd = State.objects.get(lgd_code=38)
    assert dnhdd.name_en == "The Dadra and Nagar Haveli and Daman and Diu"
    assert dnhdd.is_union_territory
    assert District.objects.get(lgd_code=196).name_hi == "गया"
    assert District.objects.get(lgd_code=212).name_hi == ""
    # Uttar Pradesh is not loaded, so its district has no parent to go under.
    assert "Districts: 3 rows; 2 created, 0 updated, 0 unchanged, 1 skipped" in output

    # The shipped files then match the same rows by code, adding names and short codes without duplicating.
    run()
    assert State.objects.count() == 36
    assert District.objects.filter(state=bihar).count() == 38
    assert District.objects.get(lgd_code=196).short_code == "GAY"
    assert State.objects.get(lgd_code=BIHAR).name_hi == "बिहार"


@pytest.mark.django_db
def test_a_place_without_a_code_gets_the_code_a_file_supplies():
    bihar = State.objects.create(name_en="Bihar")
    gaya = District.objects.create(state=bihar, name_en="GAYA")

    run()

    bihar.refresh_from_db()
    gaya.refresh_from_db()
    assert (bihar.lgd_code, bihar.short_code) == (10, "BR")
    assert (gaya.lgd_code, gaya.name_en, gaya.short_code) == (196, "Gaya", "GAY")
    assert State.objects.count() == 36


@pytest.mark.django_db
def test_state_option_keeps_only_that_states_rows(shipped, tmp_path):
    villages = write(
        tmp_path,
        "villages.csv",
        f"{VILLAGE_HEADER}\n"
        "10,BIHAR,196,GAYA,1,X,900001,1,Testgaon,,,\n"
        "9,UTTAR PRADESH,118,AGRA,2,Y,900002,1,Testpur,,,\n",
    )

    output = run("--villages", villages, "--state", "10")

    assert list(Village.objects.values_list("name_en", flat=True)) == ["Testgaon"]
    assert "1 created, 0 updated, 0 unchanged, 1 skipped" in output


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no-such.csv: no such file"):
        run("--villages", str(tmp_path / "no-such.csv"))


@pytest.mark.parametrize(
    ("lgd", "expected"),
    [
        ("KAIMUR (BHABUA)", "Kaimur (Bhabua)"),
        ("BAGAHA-II", "Bagaha-II"),
        ("JAMMU AND KASHMIR", "Jammu and Kashmir"),
        ("S.LOHARA", "S.Lohara"),
        ("Routhulapudi", "Routhulapudi"),
    ],
)
def test_english_names_in_capitals_become_title_case(lgd, expected):
    assert english_name(lgd) == expected
