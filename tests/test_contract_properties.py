"""The pilot data contract (`seeds/pilots/contract.json`, checked by `contract.check_table`) on
generated uploads: every valid file is accepted whatever its header spelling, column order or
value casing, and any single mutation of a valid file is reported by the one rule it breaks,
at its row and column, and nothing else.

Files go through the real reader (`reading.read_upload`) as CSV (and, for the header
mutations, as an .xlsx workbook too), against the real registry, checked on a fixed day.
"""

import copy
import csv
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.pilots import privacy, reading, registry
from orchestration.pilots.contract import CheckContext, check_table

CONTRACT = registry.load_contract()
PILOTS = registry.load_pilots()
COUNTIES = registry.city_counties()
KEY = b"property-test-key"
LIMIT = CONTRACT["limits"]["field_chars"]
CHECKED_ON = date(2026, 6, 30)  # the day the generated files are checked; no date may be later
SPEC = {table: {c["name"]: c for c in spec["columns"]} for table, spec in CONTRACT["tables"].items()}

# The rules as a city data team reads them in a quarantine report.
REQUIRED = "a value is required"
DATE = "a date written YYYY-MM-DD"
NUMBER = "a number (digits, optional decimal point)"
BOOLEAN = "true or false"
TRACT = "a tract GEOID of exactly 11 digits, stored as text so leading zeros stay"
WINDOW = "within the pilot's start and end dates (programs.csv)"
EXIT = "not before enrolment_date"
OUTCOME = "an outcome registered for the pilot in outcome_definitions.csv"
BINARY = "0 or 1 for a binary outcome"
KNOWN_PARTICIPANT = "a participant in this upload's or an earlier accepted participants table"
TOO_LONG = f"a value is at most {LIMIT:,} characters"
MISSING_COLUMN = "required column is missing from the header"
FUTURE = f"a date no later than the day the file is checked ({CHECKED_ON.isoformat()})"
REPEATED_COLUMN = "each column appears once in the header"

BAD_DATES = ["2024/01/15", "15-01-2024", "2024-02-30", "20240115", "2024-01-15T08:30:00"]
BAD_NUMBERS = ["12,5", "$12", "1 000", "inf", "NaN", "1e999"]
BAD_TRACTS = [lambda t: t[:-1], lambda t: t + "0", lambda t: t[:5] + "O" + t[6:], lambda t: t[:5] + " " + t[5:],
              lambda t: t.translate(str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17"
                                                                "\uff18\uff19"))]


@dataclass
class Upload:
    table: str
    city: str
    pilot: str
    header: list[str]  # the contract's column names, in file order
    rows: list[dict[str, str]]
    spelled: dict[str, str] = field(default_factory=dict)  # column -> as written in the header

    def write(self, folder: Path, suffix: str) -> Path:
        """The upload as a city would send it: a CSV named after the table, or a workbook with a sheet."""
        cells = [[self.spelled.get(c, c) for c in self.header], *([row.get(c, "") for c in self.header]
                                                                   for row in self.rows)]
        if suffix == "xlsx":
            path = folder / "pilot_upload.xlsx"
            book = openpyxl.Workbook()
            book.active.title = self.table
            for line in cells:
                book.active.append(line)
            book.save(path)
            return path
        path = folder / f"{self.table}_upload.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(cells)
        return path


def cased(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.title(), f" {word} "])


def spelled(column: str) -> st.SearchStrategy[str]:
    return st.sampled_from([column, column.upper(), column.replace("_", " ").title(), column.replace("_", "-")])


def days(start: str, end: str) -> st.SearchStrategy[date]:
    return st.dates(date.fromisoformat(start), date.fromisoformat(end))


numbers = st.one_of(st.integers(-10**6, 10**6).map(str),
                    st.decimals(-10**6, 10**6, places=2, allow_nan=False, allow_infinity=False).map(str))
ids = st.text(string.ascii_letters + string.digits + "-_ .#/,\"'", min_size=1, max_size=12).filter(str.strip)


def tract(county: str) -> st.SearchStrategy[str]:
    return st.integers(1, 999_999).map(lambda t: f"{county}{t:06d}")


@st.composite
def participants(draw, city: str) -> Upload:
    (pilot,) = [p for p in PILOTS.values() if p.city_geoid == city]
    count = draw(st.integers(1, 8))
    people = draw(st.lists(ids, min_size=count, max_size=count, unique_by=str.strip))
    optional = draw(st.sets(st.sampled_from(["exit_date", "baseline_value", "is_synthetic"])))
    rows = []
    for person in people:
        enrolled = draw(days(pilot.start_date, pilot.end_date))
        exited = draw(st.none() | st.dates(enrolled, min(enrolled + timedelta(days=400), CHECKED_ON)))
        rows.append({
            "pilot_id": draw(st.sampled_from([pilot.pilot_id, f" {pilot.pilot_id} "])),  # ids are exact
            "participant_id": person,
            "arm": draw(cased(draw(st.sampled_from(SPEC["participants"]["arm"]["values"])))),
            "enrolment_date": enrolled.isoformat(),
            "exit_date": exited.isoformat() if exited else "",
            "home_tract_geoid": draw(tract(draw(st.sampled_from(sorted(COUNTIES[city]))))),
            **{c: draw(cased(draw(st.sampled_from(SPEC["participants"][c]["values"]))))
               for c in ("race_ethnicity", "gender", "age_band")},
            "baseline_value": draw(st.just("") | numbers),
            "is_synthetic": draw(cased(draw(st.sampled_from(["true", "false", "yes", "no", "1", "0", "t", "f"])))),
        })
    header = [c for c in SPEC["participants"] if SPEC["participants"][c]["required"] or c in optional]
    return Upload("participants", city, pilot.pilot_id, header, rows)


@st.composite
def follow_ups(draw, city: str, table: str) -> Upload:
    """Services or outcomes of participants accepted earlier (the `known` pool of the city's pilot)."""
    (pilot,) = [p for p in PILOTS.values() if p.city_geoid == city]
    keys, rows = set(), []
    for _ in range(draw(st.integers(1, 8))):
        person = draw(st.sampled_from(KNOWN_IDS))
        when = draw(days(pilot.start_date, pilot.end_date)).isoformat()
        if table == "services":
            kind = draw(st.text(string.ascii_lowercase + "_", min_size=1, max_size=20))
            key, row = (person, when, kind), {"service_date": when, "service_type": kind,
                                               "amount": draw(st.just("") | numbers)}
        else:
            outcome = draw(st.sampled_from(sorted(pilot.outcomes)))
            binary = pilot.outcomes[outcome].outcome_type == "binary"
            key, row = (person, outcome, when), {"outcome": outcome, "outcome_date": when,
                                                  "value": draw(st.sampled_from(["0", "1", "1.0"]) if binary else numbers)}
        if key not in keys:
            keys.add(key)
            rows.append({"pilot_id": pilot.pilot_id, "participant_id": person, **row})
    optional = draw(st.booleans())
    header = [c for c in SPEC[table] if c != "is_synthetic" and (SPEC[table][c]["required"] or optional)]
    return Upload(table, city, pilot.pilot_id, header, rows)


KNOWN_IDS = ["P-1", "P-2", " P-3", "0004", "p'5"]


@st.composite
def valid_upload(draw, table: str | None = None, cities: list[str] | None = None) -> Upload:
    city = draw(st.sampled_from(cities or registry.pilot_cities()))
    table = table or draw(st.sampled_from(["participants", "services", "outcomes"]))
    upload = draw(participants(city) if table == "participants" else follow_ups(city, table))
    upload.header = draw(st.permutations(upload.header))
    upload.spelled = {c: draw(spelled(c)) for c in upload.header}
    return upload


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("uploads")


def check(upload: Upload, folder: Path, suffix: str = "csv"):
    tables, _ = reading.read_upload(upload.write(folder, suffix), CONTRACT["limits"])
    known = set(privacy.pseudonymise(pd.Series([upload.pilot] * len(KNOWN_IDS)), pd.Series(KNOWN_IDS), KEY))
    context = CheckContext(upload.city, PILOTS, COUNTIES[upload.city], CONTRACT,
                           lambda pilot, people: privacy.pseudonymise(pilot, people, KEY), known, CHECKED_ON)
    return check_table(upload.table, tables[upload.table], context)


@settings(max_examples=50)
@given(valid_upload(), st.sampled_from(["csv", "xlsx"]))
def test_every_valid_upload_is_accepted(folder, upload, suffix):
    result = check(upload, folder, suffix)
    assert result.breaches == [], [(b.row, b.column, b.rule) for b in result.breaches]
    assert len(result.rows) == len(upload.rows)
    assert "participant_id" not in result.rows and result.rows["participant_key"].notna().all()
    assert list(result.rows["source_row"]) == list(range(2, len(upload.rows) + 2))


# Each mutation changes one thing in a valid upload and says where the report must point: a
# list of (row, column, rule) per variant. Mutations with a list of bad values try every one.
def with_column(upload: Upload, column: str) -> None:
    """An optional column the file left out, added empty: still a valid file."""
    if column not in upload.header:
        upload.header.append(column)
        for row in upload.rows:
            row[column] = ""


def each(upload: Upload, r: int, column: str, values: list, rule: str) -> list:
    variants = []
    for value in values:
        variant = copy.deepcopy(upload)
        variant.rows[r][column] = value(upload.rows[r][column]) if callable(value) else value
        variants.append((variant, (r + 2, column, rule)))
    return variants


def enum_value(draw, upload, r):
    column = draw(st.sampled_from([c for c in upload.header if SPEC[upload.table][c]["type"] == "enum"]))
    allowed = SPEC[upload.table][column]["values"]
    upload.rows[r][column] = draw(st.text(string.ascii_letters + "_ ", min_size=1, max_size=12)
                                  .filter(lambda v: v.strip() and v.strip().lower() not in allowed))
    return [(upload, (r + 2, column, "one of: " + ", ".join(allowed)))]


def blank_required(draw, upload, r):
    column = draw(st.sampled_from([c for c in upload.header if SPEC[upload.table][c]["required"]]))
    return each(upload, r, column, ["", " ", "\t"], REQUIRED)


def bad_date(draw, upload, r):
    column = draw(st.sampled_from([c for c in SPEC[upload.table] if SPEC[upload.table][c]["type"] == "date"]))
    with_column(upload, column)
    return each(upload, r, column, BAD_DATES, DATE)


def future_date(draw, upload, r):
    column = draw(st.sampled_from([c for c in SPEC[upload.table] if SPEC[upload.table][c]["type"] == "date"]))
    with_column(upload, column)
    upload.rows[r][column] = draw(st.dates(CHECKED_ON + timedelta(days=1), date(2040, 12, 31))).isoformat()
    return [(upload, (r + 2, column, FUTURE))]


def bad_number(draw, upload, r):
    column = draw(st.sampled_from([c for c in SPEC[upload.table] if SPEC[upload.table][c]["type"] == "number"]))
    with_column(upload, column)
    return each(upload, r, column, BAD_NUMBERS, NUMBER)


def bad_boolean(draw, upload, r):
    with_column(upload, "is_synthetic")
    return each(upload, r, "is_synthetic", ["maybe", "2", "si", "treatment", "-"], BOOLEAN)


def bad_tract(draw, upload, r):
    return each(upload, r, "home_tract_geoid", BAD_TRACTS, TRACT)


def tract_elsewhere(draw, upload, r):
    counties = COUNTIES[upload.city]
    county = draw(st.integers(1001, 56045).map(lambda c: f"{c:05d}").filter(lambda c: c not in counties))
    upload.rows[r]["home_tract_geoid"] = draw(tract(county))
    return [(upload, (r + 2, "home_tract_geoid", "a tract in one of the city's counties ("
                      + ", ".join(sorted(counties)) + ")"))]


def other_citys_pilot(draw, upload, r):
    upload.rows[r]["pilot_id"] = draw(st.sampled_from([p for p in PILOTS if PILOTS[p].city_geoid != upload.city]))
    return [(upload, (r + 2, "pilot_id", f"a pilot of this city in programs.csv ({upload.pilot})"))]


def before_the_pilot(draw, upload, r):
    start = date.fromisoformat(PILOTS[upload.pilot].start_date)
    upload.rows[r]["enrolment_date"] = draw(st.dates(start - timedelta(days=3000), start - timedelta(days=1))).isoformat()
    return [(upload, (r + 2, "enrolment_date", WINDOW))]


def exit_before_enrolment(draw, upload, r):
    with_column(upload, "exit_date")
    enrolled = date.fromisoformat(upload.rows[r]["enrolment_date"])
    upload.rows[r]["exit_date"] = draw(st.dates(enrolled - timedelta(days=400), enrolled - timedelta(days=1))).isoformat()
    return [(upload, (r + 2, "exit_date", EXIT))]


def unknown_participant(draw, upload, r):
    upload.rows[r]["participant_id"] = draw(ids.filter(lambda v: v.strip() not in {k.strip() for k in KNOWN_IDS}))
    return [(upload, (r + 2, "participant_id", KNOWN_PARTICIPANT))]


def unregistered_outcome(draw, upload, r):
    upload.rows[r]["outcome"] = draw(st.text(string.ascii_lowercase + "_", min_size=1, max_size=20)
                                     .filter(lambda o: o not in PILOTS[upload.pilot].outcomes))
    return [(upload, (r + 2, "outcome", OUTCOME))]


def binary_not_0_or_1(draw, upload, r):
    binary = [o for o, d in PILOTS[upload.pilot].outcomes.items() if d.outcome_type == "binary"]
    row = upload.rows[r]
    row["outcome"], row["outcome_date"] = draw(st.sampled_from(binary)), "2000-01-01"  # a key of its own
    return each(upload, r, "value", ["2", "0.5", "-1", "10"], BINARY)


def repeated_row(draw, upload, r):
    if len(upload.rows) == 1:
        upload.rows.append({})
    r = draw(st.integers(1, len(upload.rows) - 1))
    upload.rows[r] = dict(upload.rows[draw(st.integers(0, r - 1))])
    key = CONTRACT["tables"][upload.table]["key"]
    return [(upload, (r + 2, key[-1], "one row per " + ", ".join(key) + " (this row repeats an earlier one)"))]


def too_long(draw, upload, r):
    column = draw(st.sampled_from(upload.header))
    upload.rows[r][column] = draw(st.sampled_from(["x", "7", "\u00e9"])) * draw(st.integers(LIMIT + 1, 3 * LIMIT))
    return [(upload, (r + 2, column, TOO_LONG))]


def missing_column(draw, upload, r):
    column = draw(st.sampled_from([c for c in upload.header if SPEC[upload.table][c]["required"]]))
    upload.header.remove(column)
    return [(upload, (1, column, MISSING_COLUMN))]


def repeated_column(draw, upload, r):
    column = draw(st.sampled_from(upload.header))
    upload.header.insert(draw(st.integers(0, len(upload.header))), column)
    return [(upload, (1, column, REPEATED_COLUMN))]


def no_rows(draw, upload, r):
    upload.rows.clear()
    return [(upload, (None, None, f"the {upload.table} table has no data rows"))]


EVERY_TABLE = [future_date, other_citys_pilot, repeated_row, too_long, missing_column, repeated_column, no_rows]
HEADER_MUTATIONS = {missing_column, repeated_column}  # also tried in a workbook
MUTATIONS = [(table, mutation) for table, extra in (
    ("participants", [enum_value, tract_elsewhere, before_the_pilot, exit_before_enrolment]),
    ("services", [unknown_participant]),
    ("outcomes", [unknown_participant, unregistered_outcome]),
) for mutation in EVERY_TABLE + extra]
# These try every value of their list on each generated upload.
EVERY_VALUE = [(table, mutation) for table, extra in (
    ("participants", [bad_boolean, bad_tract]), ("services", []), ("outcomes", [binary_not_0_or_1]),
) for mutation in [blank_required, bad_date, bad_number] + extra]


def assert_reported(table, mutation, data, folder):
    binary = sorted({p.city_geoid for p in PILOTS.values() if any(o.outcome_type == "binary" for o in p.outcomes.values())})
    upload = data.draw(valid_upload(table, binary if mutation is binary_not_0_or_1 else None), "valid upload")
    r = data.draw(st.integers(0, len(upload.rows) - 1), "row")
    for variant, expected in mutation(data.draw, upload, r):
        for suffix in ("csv", "xlsx") if mutation in HEADER_MUTATIONS else ("csv",):
            result = check(variant, folder, suffix)
            assert [(b.row, b.column, b.rule) for b in result.breaches] == [expected], (suffix, variant.rows[:3])
            assert result.rows is None


@pytest.mark.parametrize("table, mutation", MUTATIONS, ids=[f"{t}-{m.__name__}" for t, m in MUTATIONS])
@settings(max_examples=4)
@given(data=st.data())
def test_one_mutation_is_reported_by_the_rule_it_breaks(folder, table, mutation, data):
    assert_reported(table, mutation, data, folder)


@pytest.mark.parametrize("table, mutation", EVERY_VALUE, ids=[f"{t}-{m.__name__}" for t, m in EVERY_VALUE])
@settings(max_examples=2)
@given(data=st.data())
def test_every_bad_value_is_reported_by_the_rule_it_breaks(folder, table, mutation, data):
    assert_reported(table, mutation, data, folder)
