"""Pilot uploads: contract breaches are quarantined with a report, accepted files are
archived once by hash, and nothing is taken in without the pseudonymisation key."""

import json
import shutil
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.pilots import intake, privacy
from orchestration.pilots.assets import rebuild_raw_tables

CITY = "3915000"  # Cincinnati; its pilot runs 2023-03-01 to 2025-06-30 in county 39061
PILOT = "cincinnati_workforce"
HEADER = "pilot_id,participant_id,arm,enrolment_date,exit_date,home_tract_geoid,race_ethnicity,gender,age_band,baseline_value"


def participant_row(n: int, **changes) -> str:
    row = {"pilot_id": PILOT, "participant_id": f"C-{n:04d}", "arm": "treatment" if n % 2 else "comparison",
           "enrolment_date": "2024-01-15", "exit_date": "", "home_tract_geoid": "39061003800",
           "race_ethnicity": "black", "gender": "female", "age_band": "25_34", "baseline_value": "0"}
    row.update(changes)
    return ",".join(row[c] for c in HEADER.split(","))


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("MOBILITY_HOME", str(tmp_path))
    monkeypatch.setenv(privacy.KEY_ENV, "test-secret-key")
    return tmp_path


def drop(home: Path, name: str, text: str) -> Path:
    folder = home / "landing" / "pilots" / CITY
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def good_participants(count: int = 3) -> str:
    return "\n".join([HEADER, *(participant_row(n) for n in range(1, count + 1))]) + "\n"


def raw_counts(home: Path, new_files_only: bool = False) -> dict[str, int]:
    con = duckdb.connect(str(home / "check.duckdb"))
    con.execute("create schema if not exists raw")
    counts = rebuild_raw_tables(con, new_files_only)
    con.close()
    return counts


def quarantine_report(home: Path, name: str) -> dict:
    folder = home / "landing" / "pilots" / CITY / "quarantine"
    assert (folder / name).exists(), f"{name} was not moved to quarantine"
    return json.loads((folder / f"{name}.report.json").read_text())


def test_accepted_file_is_archived_by_hash_and_removed_from_landing(home):
    path = drop(home, "participants_2024-01.csv", good_participants())
    sha = intake.file_sha256(path)
    result = intake.process_city(CITY, include_bundled=False)
    assert [r["file"] for r in result.accepted] == ["participants_2024-01.csv"]
    assert not path.exists()
    assert (home / "archive" / "pilots" / CITY / f"{sha}.participants.parquet").exists()
    receipt = json.loads((home / "landing" / "pilots" / CITY / "receipts" / f"participants_2024-01.csv.{sha[:12]}.json").read_text())
    assert receipt["status"] == "accepted" and receipt["rows"] == {"participants": 3}
    assert raw_counts(home)["participants"] == 3


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "latin-1"])
def test_utf16_bom_and_latin1_files_are_read_as_text(home, encoding):
    path = drop(home, "participants_2024-02.csv", "")
    path.write_bytes(good_participants().replace("C-0001", "C-0001é").encode(encoding))
    result = intake.process_city(CITY, include_bundled=False)
    assert [r["file"] for r in result.accepted] == ["participants_2024-02.csv"] and result.quarantined == []
    assert raw_counts(home)["participants"] == 3


def test_same_upload_twice_adds_no_rows(home):
    drop(home, "participants_a.csv", good_participants())
    intake.process_city(CITY, include_bundled=False)
    before = raw_counts(home)
    drop(home, "participants_a.csv", good_participants())  # the very same bytes again
    second = intake.process_city(CITY, include_bundled=False)
    assert second.duplicates == ["participants_a.csv"] and second.accepted == []
    assert raw_counts(home) == before == {"participants": 3, "services": 0, "outcomes": 0, "files": 1}


def test_a_city_refresh_appends_only_the_files_the_tables_do_not_hold(home):
    drop(home, "participants_1.csv", good_participants(3))
    intake.process_city(CITY, include_bundled=False)
    assert raw_counts(home) == {"participants": 3, "services": 0, "outcomes": 0, "files": 1}
    drop(home, "participants_2.csv", "\n".join([HEADER, participant_row(4), participant_row(5)]) + "\n")
    intake.process_city(CITY, include_bundled=False)
    appended = {"participants": 5, "services": 0, "outcomes": 0, "files": 2}
    assert raw_counts(home, new_files_only=True) == appended
    assert raw_counts(home, new_files_only=True) == appended  # nothing new: nothing added
    con = duckdb.connect(str(home / "check.duckdb"))
    files = con.execute("select source_file, count(*) from raw.pilot_participants group by 1 order by 1").fetchall()
    con.close()
    assert files == [("participants_1.csv", 3), ("participants_2.csv", 2)]


BREACHES = [
    # (name, file text, row, column, words of the rule)
    ("participants_missing.csv", HEADER.replace(",arm", "") + "\n" + "cincinnati_workforce,C-1,2024-01-15,,39061003800,black,female,25_34,0\n",
     1, "arm", "required column"),
    ("participants_date.csv", good_participants(2) + participant_row(3, enrolment_date="15/01/2024") + "\n",
     4, "enrolment_date", "YYYY-MM-DD"),
    ("participants_arm.csv", good_participants(1) + participant_row(2, arm="control") + "\n", 3, "arm", "treatment, comparison"),
    ("participants_tract.csv", good_participants(1) + participant_row(2, home_tract_geoid="3906100380") + "\n",
     3, "home_tract_geoid", "exactly 11 digits"),
    ("participants_county.csv", good_participants(1) + participant_row(2, home_tract_geoid="39113000100") + "\n",
     3, "home_tract_geoid", "city's counties"),
    ("participants_pilot.csv", good_participants(1) + participant_row(2, pilot_id="dayton_early_childhood") + "\n",
     3, "pilot_id", "pilot of this city"),
    ("participants_window.csv", good_participants(1) + participant_row(2, enrolment_date="2022-12-31") + "\n",
     3, "enrolment_date", "start and end dates"),
    ("participants_repeat.csv", good_participants(2) + participant_row(1) + "\n", 4, "participant_id", "one row per"),
    ("participants_blank.csv", good_participants(1) + participant_row(2, race_ethnicity="") + "\n",
     3, "race_ethnicity", "a value is required"),
    ("services_unknown.csv", "pilot_id,participant_id,service_date,service_type,amount\n"
     f"{PILOT},C-0001,2024-02-01,job_coaching,2\n{PILOT},C-9999,2024-02-01,job_coaching,2\n", 3, "participant_id", "participant"),
    ("outcomes_binary.csv", "pilot_id,participant_id,outcome,outcome_date,value\n"
     f"{PILOT},C-0001,employed_90d,2024-04-15,1\n{PILOT},C-0002,employed_90d,2024-04-15,2\n", 3, "value", "0 or 1"),
    ("outcomes_unregistered.csv", "pilot_id,participant_id,outcome,outcome_date,value\n"
     f"{PILOT},C-0001,happiness,2024-04-15,1\n", 2, "outcome", "registered"),
    ("outcomes_number.csv", "pilot_id,participant_id,outcome,outcome_date,value\n"
     f"{PILOT},C-0001,quarterly_wages,2024-04-15,$3000\n", 2, "value", "a number"),
    # A 3 MB value without "@" used to make the e-mail pattern take quadratic time.
    ("services_long.csv", "pilot_id,participant_id,service_date,service_type,amount\n"
     f"{PILOT},C-0001,2024-02-01,job_coaching,2\n{PILOT},C-0001,2024-02-02,{'x' * 3_000_000},2\n",
     3, "service_type", "a value is at most 1,000 characters"),
    ("participants_empty.csv", "", None, None, "this one is empty (0 bytes)"),
]


@pytest.mark.parametrize("name,text,row,column,rule", BREACHES, ids=[b[0] for b in BREACHES])
def test_contract_breach_is_quarantined_with_a_report_and_nothing_else_changes(home, name, text, row, column, rule):
    drop(home, "participants_base.csv", good_participants(2))
    intake.process_city(CITY, include_bundled=False)
    archive_before = sorted(p.name for p in (home / "archive" / "pilots" / CITY).iterdir())
    counts_before = raw_counts(home)

    drop(home, name, text)
    result = intake.process_city(CITY, include_bundled=False)

    assert [r["file"] for r in result.quarantined] == [name] and result.accepted == []
    report = quarantine_report(home, name)
    assert any(b["row"] == row and b["column"] == column and rule in b["rule"] for b in report["breaches"]), report
    assert not (home / "landing" / "pilots" / CITY / name).exists()
    assert sorted(p.name for p in (home / "archive" / "pilots" / CITY).iterdir()) == archive_before
    assert raw_counts(home) == counts_before


def test_an_unrecognised_file_name_is_quarantined(home):
    drop(home, "march_export.csv", good_participants())
    intake.process_city(CITY, include_bundled=False)
    report = quarantine_report(home, "march_export.csv")
    assert "participants*" in report["breaches"][0]["rule"]


def test_without_the_key_nothing_is_taken_in_and_the_message_says_why(home, monkeypatch):
    monkeypatch.delenv(privacy.KEY_ENV)
    path = drop(home, "participants_2024-01.csv", good_participants())
    with pytest.raises(privacy.MissingKeyError, match="MOBILITY_PII_KEY is not set"):
        intake.process_city(CITY, include_bundled=False)
    assert path.exists()
    assert not (home / "archive").exists()


def test_an_excel_workbook_with_three_sheets_is_accepted(home):
    participants = pd.read_csv(pd.io.common.StringIO(good_participants(2)), dtype=str, keep_default_na=False)
    services = pd.DataFrame({"pilot_id": [PILOT], "participant_id": ["C-0001"], "service_date": ["2024-02-01"],
                             "service_type": ["job_coaching"], "amount": ["2"]})
    outcomes = pd.DataFrame({"pilot_id": [PILOT, PILOT], "participant_id": ["C-0001", "C-0002"],
                             "outcome": ["employed_90d", "employed_90d"], "outcome_date": ["2024-04-15", "2024-04-20"],
                             "value": ["1", "0"]})
    folder = home / "landing" / "pilots" / CITY
    folder.mkdir(parents=True)
    with pd.ExcelWriter(folder / "pilot_2024.xlsx") as book:
        participants.to_excel(book, sheet_name="Participants", index=False)
        services.to_excel(book, sheet_name="Services", index=False)
        outcomes.to_excel(book, sheet_name="Outcomes", index=False)
        outcomes.to_excel(book, sheet_name="Notes", index=False)
    result = intake.process_city(CITY, include_bundled=False)
    assert result.accepted[0]["rows"] == {"participants": 2, "services": 1, "outcomes": 2}
    assert result.accepted[0]["ignored_sheets"] == ["Notes"]
    assert raw_counts(home) == {"participants": 2, "services": 1, "outcomes": 2, "files": 1}


def test_services_may_follow_in_a_later_file(home):
    drop(home, "participants_1.csv", good_participants(2))
    intake.process_city(CITY, include_bundled=False)
    drop(home, "services_1.csv", f"pilot_id,participant_id,service_date,service_type,amount\n{PILOT},C-0002,2024-02-01,job_coaching,1.5\n")
    result = intake.process_city(CITY, include_bundled=False)
    assert result.accepted[0]["rows"] == {"services": 1}


def test_a_file_that_cannot_be_checked_is_quarantined_and_the_next_file_still_goes_in(home, monkeypatch):
    checked = intake.check_table

    def failing_on_one_file(table, raw, context):  # a defect that only one file meets
        if "C-0009" in set(raw["participant_id"]):
            raise ValueError("cannot compare quintessa.m@example.org")
        return checked(table, raw, context)

    monkeypatch.setattr(intake, "check_table", failing_on_one_file)
    drop(home, "participants_a.csv", good_participants(1).replace("C-0001", "C-0009"))
    drop(home, "participants_b.csv", good_participants(2))
    result = intake.process_city(CITY, include_bundled=False)

    assert [r["file"] for r in result.accepted] == ["participants_b.csv"]
    (breach,) = quarantine_report(home, "participants_a.csv")["breaches"]
    # The error is named, the identifier-like value it quotes is not.
    assert breach["rule"] == ("a file the warehouse can read and check; checking this one failed "
                              "(ValueError: message withheld: it quotes what looks like a direct identifier)")
    assert raw_counts(home)["participants"] == 2


def test_one_citys_unreadable_files_do_not_stop_another_city(home):
    from dagster import materialize

    from orchestration.pilots.assets import raw_pilot_tables
    from orchestration.engines.build_file import Warehouse

    drop(home, "participants_empty.csv", "")
    (home / "landing" / "pilots" / CITY / "services.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    tulsa = home / "landing" / "pilots" / "4075000"
    tulsa.mkdir(parents=True)
    (tulsa / "participants_2024-05.csv").write_text(
        HEADER + "\ntulsa_career_education,T-1,treatment,2024-05-01,,40143000100,white,male,18_24,1\n")

    result = materialize([raw_pilot_tables], resources={"warehouse": Warehouse(home=str(home))})

    assert result.success
    metadata = result.asset_materializations_for_node("raw_pilot_tables")[0].metadata
    assert metadata["count_quarantined_files"].value == 2
    con = duckdb.connect(str(home / "build.duckdb"), read_only=True)
    files = con.execute("select file_name from raw.pilot_files where city_geoid = '4075000' and not is_synthetic").fetchall()
    con.close()
    assert files == [("participants_2024-05.csv",)]


def test_identifier_patterns_take_linear_time_on_a_multi_megabyte_value():
    patterns = list(json.loads((Path(intake.registry.pilots_dir()) / "contract.json").read_text())
                    ["direct_identifiers"]["value_patterns"].values())
    # The shapes that make backtracking engines slow: long runs of what nearly matches.
    values = pd.Series(["1-" * 1_500_000, "a" * 2_999_999 + "@", "9" * 3_000_000,
                        "call 513-555-0142 " + "x" * 3_000_000, "write to a.b@example.org " + "@" * 3_000_000])
    start = time.perf_counter()
    hits = privacy.matching(values, patterns)
    # Generous: DuckDB's RE2 takes well under a second; a backtracking engine takes minutes or more.
    assert time.perf_counter() - start < 10
    assert hits.tolist() == [False, False, False, True, True]


def test_a_contract_older_than_the_warehouse_stops_the_intake_and_keeps_the_uploads(home, monkeypatch):
    """A source directory whose contract predates the upload limits: its uploads are not at fault,
    so none is quarantined; the intake stops with a message naming the file and what it lacks."""
    from orchestration import settings

    sources = home / "sources"
    sources.mkdir()
    for entry in settings.SEEDS_DIR.iterdir():
        if entry.name != "pilots":
            (sources / entry.name).symlink_to(entry)
    shutil.copytree(settings.SEEDS_DIR / "pilots", sources / "pilots")
    contract = json.loads((sources / "pilots" / "contract.json").read_text())
    del contract["limits"]["file_bytes"]
    (sources / "pilots" / "contract.json").write_text(json.dumps(contract))
    monkeypatch.setenv("MOBILITY_SOURCE_DIR", str(sources))
    path = drop(home, "participants_2024-01.csv", good_participants())

    with pytest.raises(ValueError, match=r"sources/pilots/contract.json: the pilot data contract lacks limits.file_bytes,"):
        intake.process_city(CITY, include_bundled=False)
    assert path.exists()
    assert not (path.parent / "quarantine").exists()


def test_regenerated_practice_data_replaces_the_old_in_the_archive(home, monkeypatch):
    bundled = home / "bundled" / CITY
    bundled.mkdir(parents=True)
    (bundled / "participants.csv").write_text(good_participants(3).replace("\n", ",true\n").replace(
        "baseline_value,true", "baseline_value,is_synthetic"), encoding="utf-8")
    monkeypatch.setattr(intake, "bundled_files", lambda city: sorted(bundled.glob("*.csv")))
    drop(home, "participants_real.csv", "\n".join([HEADER, participant_row(9)]) + "\n")
    first = intake.process_city(CITY)
    assert len(first.accepted) == 2
    receipt = next(r for r in first.accepted if r["file"] == "participants_real.csv")
    assert receipt["registered_primary_outcomes"] == f"{PILOT}=employed_90d" and not receipt["bundled"]
    (bundled / "participants.csv").write_text(good_participants(5).replace("\n", ",true\n").replace(
        "baseline_value,true", "baseline_value,is_synthetic"), encoding="utf-8")
    intake.process_city(CITY)
    # The old practice file left the archive; the new one and the city's own upload stay.
    assert raw_counts(home) == {"participants": 6, "services": 0, "outcomes": 0, "files": 2}
