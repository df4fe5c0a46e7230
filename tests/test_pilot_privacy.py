"""Residents' privacy end to end: an upload carrying names, date of birth, SSN, street address,
phone and e-mail goes through the real per-city Dagster run, and no such column or value is
left anywhere in any DuckDB file under MOBILITY_HOME (every table and view of each)."""

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, materialize

from orchestration.dbt.project import dbt_resource
from orchestration.definitions import warehouse_definitions
from orchestration.pilots import privacy
from orchestration.pilots.assets import PER_CITY_SELECTION, pilot_city
from orchestration.engines.build_file import Warehouse

CITY = "4075000"  # Tulsa; pilot 2023-07-01 to 2025-09-30; Tulsa County is 40143
PILOT = "tulsa_career_education"
FIRST, LAST = "Quintessa", "Marchbanks"
SECRETS = [FIRST, LAST, "1958-07-23", "Birchwood Lane", "512-55-0199", "quintessa.m@example.org", "(918) 555-0142",
           "TULSA-REAL-0001"]
IDENTIFIER_COLUMN = re.compile(r"first_name|last_name|birth|dob|ssn|street|address|phone|email")


def write_upload(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    header = ("pilot_id,participant_id,first_name,last_name,date_of_birth,ssn,street_address,phone,email,arm,"
              "enrolment_date,home_tract_geoid,race_ethnicity,gender,age_band,baseline_value")
    lines = [header]
    for n in range(1, 25):
        first, last = (FIRST, LAST) if n == 1 else (f"Given{n}", f"Family{n}")
        lines.append(f"{PILOT},TULSA-REAL-{n:04d},{first},{last},1958-07-23,512-55-0199,12 Birchwood Lane,"
                     f"(918) 555-0142,quintessa.m@example.org,{'treatment' if n % 2 else 'comparison'},"
                     f"2024-03-{n:02d},40143000100,white,female,18_24,1")
    (folder / "participants_2024-03.csv").write_text("\n".join(lines) + "\n")
    (folder / "services_2024-03.csv").write_text(
        "pilot_id,participant_id,service_date,service_type,amount\n"
        f"{PILOT},TULSA-REAL-0001,2024-03-20,career_course,2\n"
        f"{PILOT},TULSA-REAL-0002,2024-03-21,call quintessa.m@example.org,1\n")
    (folder / "outcomes_2024-06.csv").write_text(
        "pilot_id,participant_id,outcome,outcome_date,value\n"
        + "".join(f"{PILOT},TULSA-REAL-{n:04d},employed_90d,2024-06-{n:02d},{n % 2}\n" for n in range(1, 25)))


def scan(database: Path) -> list[str]:
    """Every place in the file where an identifier column or value shows up."""
    found = []
    con = duckdb.connect(str(database), read_only=True)
    try:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
        ).fetchall()
        # both the build file and the analysts' file hold the pilot marts the upload flows into
        assert ("marts", "pilot_impact") in relations, f"{database} holds no pilot marts"
        pattern = "|".join(re.escape(s) for s in SECRETS)
        for schema, table in relations:
            columns = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [schema, table]).fetchall()]
            found += [f"{schema}.{table}.{c} (column)" for c in columns if IDENTIFIER_COLUMN.search(c.lower())
                      and c.lower() not in {"dropped_identifier_columns"}]
            cells = " or ".join(f"regexp_matches(cast(\"{c}\" as varchar), ?)" for c in columns)
            hits = con.execute(f'select count(*) from "{schema}"."{table}" where {cells}', [pattern] * len(columns)).fetchone()[0]
            if hits:
                found.append(f"{schema}.{table}: {hits} rows")
    finally:
        con.close()
    return found


@pytest.fixture(scope="module")
def home_with_upload(built_warehouse: Path, tmp_path_factory):
    """A copy of the built warehouse with the identifier-laden upload taken in for Tulsa."""
    tmp_path = tmp_path_factory.mktemp("privacy-home")
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield take_in_upload(built_warehouse, tmp_path, monkeypatch)


def take_in_upload(built_warehouse: Path, tmp_path: Path, monkeypatch) -> Path:
    shutil.copy(built_warehouse, tmp_path / "build.duckdb")
    shutil.copytree(built_warehouse.parent / "archive", tmp_path / "archive")
    monkeypatch.setenv("MOBILITY_HOME", str(tmp_path))
    monkeypatch.setenv(privacy.KEY_ENV, "a-secret-only-the-warehouse-knows")
    write_upload(tmp_path / "landing" / "pilots" / CITY)
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(pilot_city.name, [CITY])
        result = materialize(
            [*warehouse_definitions().assets],  # the definitions' own assets; the run selects the per-city chain
            selection=PER_CITY_SELECTION.downstream(),
            partition_key=CITY,
            instance=instance,
            resources={"warehouse": Warehouse(home=str(tmp_path)), "dbt": dbt_resource()},
            raise_on_error=False,
        )
    failures = [e.message for e in result.all_events if e.is_step_failure]
    assert result.success, failures
    return tmp_path


def test_identifiers_never_reach_any_duckdb_file(home_with_upload: Path):
    con = duckdb.connect(str(home_with_upload / "build.duckdb"), read_only=True)
    taken_in = con.execute(
        "select count(*), bool_or(is_synthetic) from raw.pilot_participants where source_file = 'participants_2024-03.csv'"
    ).fetchone()
    real_pilot = con.execute("select bool_and(is_synthetic) from marts.pilot_impact where pilot_id = ?", [PILOT]).fetchone()
    con.close()
    assert taken_in == (24, False)  # the upload really arrived, as real data
    assert real_pilot == (False,)  # and replaced the synthetic Tulsa pilot in the marts

    databases = sorted(home_with_upload.rglob("*.duckdb"))
    assert home_with_upload / "build.duckdb" in databases
    for database in databases:
        assert scan(database) == [], database


def test_the_receipt_names_what_was_dropped(home_with_upload: Path):
    receipts = {p.name.split(".csv")[0]: json.loads(p.read_text())
                for p in (home_with_upload / "landing" / "pilots" / CITY / "receipts").glob("*.json")}
    assert receipts["participants_2024-03"]["dropped_identifier_columns"] == [
        "date_of_birth", "email", "first_name", "last_name", "phone", "ssn", "street_address"]
    assert receipts["services_2024-03"]["redacted_cells"] == {"services.service_type": 1}
    # Neither the landing zone nor the archive keeps the uploaded files themselves.
    assert not list((home_with_upload / "landing" / "pilots" / CITY).glob("*.csv"))
    archived = b"".join(p.read_bytes() for p in (home_with_upload / "archive" / "pilots" / CITY).iterdir())
    assert FIRST.encode() not in archived and b"TULSA-REAL-0001" not in archived


@pytest.mark.parametrize(("table", "rule_starts"), [
    ("pilot_participants", "participant_key is a 64-character"),
    # Services and outcomes: their keys must be participants' keys, which the rule above checks.
    ("pilot_services", "every service belongs"),
    ("pilot_outcomes", "every measurement belongs"),
])
def test_raw_checks_refuse_a_participant_key_that_is_not_a_hex_digest(table, rule_starts):
    from orchestration import settings
    from orchestration.quality.suites import load_suites

    suite = next(s for s in load_suites(settings.EXPECTATIONS_DIR) if (s.schema, s.table) == ("raw", table))
    rule = next(r for r in suite.rules if r.rule.startswith(rule_starts))
    keys = {"a" * 64: True, "0123456789abcdef" * 4: True, "A" * 64: False, "g" + "a" * 63: False,
            "a" * 63: False, "a" * 65: False, "é" + "a" * 63: False, "a" * 63 + " ": False, "TULSA-REAL-0001": False}
    con = duckdb.connect()
    con.execute("create schema raw")  # the participants hold the valid keys
    con.execute("create table raw.pilot_participants (pilot_id varchar, participant_key varchar)")
    con.executemany("insert into raw.pilot_participants values ('p', ?)", [[k] for k, valid in keys.items() if valid])
    con.execute("create table batch (pilot_id varchar, participant_key varchar)")
    con.executemany("insert into batch values ('p', ?)", [[k] for k in keys])
    query = rule.kwargs["unexpected_rows_query"].format(batch="batch")  # GX's query format
    refused = {k for (k,) in con.execute(f"select participant_key from ({query})").fetchall()}
    assert refused == {k for k, valid in keys.items() if not valid}
