"""The bad-input corpus (tests/data/bad/manifest.yaml): every file, one test each, on a copy of
the session's built and published warehouse.

For each file: a clear error naming the file, the row or column and the rule (the quarantine
report of an upload, the loader's message or the blocking check of a source file), or, for a
file the warehouse reads as intended, the right values; the raw file kept as it was; the tables
it would have replaced unchanged and the analysts' file untouched; the next good file taken in;
and all of it within BOUND_SECONDS. Reports and receipts never repeat an identifier-like value.
"""

import hashlib
import hmac
import io
import json
import shutil
import time
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from orchestration.declarations import dbt_manifest as declarations
from orchestration.files.bytes import file_sha256, SourceFileError
from orchestration.ingestion.loading import load_source
from orchestration.pilots import intake, privacy, registry
from orchestration.pilots.assets import rebuild_raw_tables
from orchestration.quality.checks import check_result, run_suite_group
from orchestration.quality.suites import load_suites
from orchestration.engines.build_file import Warehouse
from orchestration.settings import EXPECTATIONS_DIR, SEEDS_DIR
from orchestration.sources import declared_files, source_groups

CORPUS = Path(__file__).parent / "data" / "bad"
CASES = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
# Generous: the slowest file takes a few seconds on two busy cores.
BOUND_SECONDS = 60
BAD_INPUT_SECONDS = "bad_input_seconds"
CITY, PILOT = "3915000", "cincinnati_workforce"
KEY = "bad-input-corpus-key"
HEADER = "pilot_id,participant_id,arm,enrolment_date,exit_date,home_tract_geoid,race_ethnicity,gender,age_band,baseline_value"


def participants(ids: list[str], header: str = HEADER) -> str:
    rows = [f"{PILOT},{i},treatment,2024-01-15,,39061003800,black,female,25_34,0" for i in ids]
    return "\n".join([header, *rows]) + "\n"


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    book = io.BytesIO()
    with pd.ExcelWriter(book) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return book.getvalue()


def participants_frame(ids: list[str]) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(participants(ids)), dtype=str, keep_default_na=False)


def zip_bomb(path: Path, limits: dict) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(limits["workbook_unpacked_bytes"] // (1 << 20) + 1):
                member.write(b" " * (1 << 20))


def sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(size)


ATLAS_HEADER = '"tract","Name","Household_Income_at_Age_35_rP_gP_p25"\n48121021524,"Heritage Lakes, Frisco, TX",1062314\n'
# Files too big, or too binary, to keep in the repository: made from the contract's limits.
GENERATED = {
    "participants_workbook_named_csv.csv": lambda path, limits: path.write_bytes(
        workbook({"participants": participants_frame(["C-0401", "C-0402"])})),
    # A multi-megabyte line of digits and dashes: what the identifier patterns once backtracked on.
    "services_long_line.csv": lambda path, limits: path.write_text(
        "pilot_id,participant_id,service_date,service_type,amount\n"
        f"{PILOT},C-0001,2024-02-01,job_coaching,2\n{PILOT},C-0002,2024-02-02,call 513-555-0142 {'1-' * 1_500_000},1\n"),
    "participants_long_header.csv": lambda path, limits: path.write_text(
        participants(["C-0411"], HEADER + "," + "x" * 2_000_000)),
    "participants_long_column_name.csv": lambda path, limits: path.write_text(
        participants(["C-0421"], HEADER + ",n" + "x" * limits["field_chars"])),
    "participants_too_large.csv": lambda path, limits: sparse(path, limits["file_bytes"] + 1),
    "participants_too_many_rows.csv": lambda path, limits: path.write_text(HEADER + "\n" + "x\n" * (limits["rows"] + 1)),
    "participants_too_many_columns.csv": lambda path, limits: path.write_text(
        participants(["C-0431"], HEADER + "".join(f",extra_{n}" for n in range(limits["columns"] + 40)))),
    "pilot_two_sheets.xlsx": lambda path, limits: path.write_bytes(workbook({
        "participants": participants_frame(["C-0441", "C-0442"]),
        "services": pd.DataFrame({"pilot_id": [PILOT], "participant_id": ["C-0441"], "service_date": ["2024-02-01"],
                                  "service_type": ["job_coaching"], "amount": ["2"]})})),
    "pilot_two_participants_sheets.xlsx": lambda path, limits: path.write_bytes(workbook({
        "participants": participants_frame(["C-0451"]), "Participants (2)": participants_frame(["C-0452"])})),
    "pilot_unknown_sheet.xlsx": lambda path, limits: path.write_bytes(workbook({"Sheet1": participants_frame(["C-0461"])})),
    "pilot_empty_sheet.xlsx": lambda path, limits: path.write_bytes(workbook({"participants": pd.DataFrame()})),
    "pilot_zip_bomb.xlsx": zip_bomb,
    "long_line.csv": lambda path, limits: path.write_text(
        ATLAS_HEADER + '1001020100,"Autauga, AL",30120\n8041000100,"' + "x" * 3_000_000 + '",29940\n'),
    "workbook_named_csv.csv": lambda path, limits: path.write_bytes(
        workbook({"tract_kfr_rP_gP_p25": pd.read_csv(io.StringIO(ATLAS_HEADER), dtype=str)})),
}


def corpus_file(case: dict, folder: Path) -> Path:
    """The case's file: from the corpus, or made in `folder`."""
    if not case["file"].startswith("generated/"):
        return CORPUS / case["file"]
    path = folder / Path(case["file"]).name
    GENERATED[path.name](path, registry.load_contract()["limits"])
    return path


def identity(path: Path) -> tuple:
    """Changes whenever the file is written or replaced."""
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@pytest.fixture(scope="module")
def home(built_warehouse: Path, tmp_path_factory) -> Path:
    """A copy of the session's build and analysts' files, the pilot key set and Cincinnati's first
    participants (C-0001 to C-0003) accepted, for the services and outcomes to refer to."""
    declarations.manifest()  # read from the session's dbt target before MOBILITY_HOME moves
    home = tmp_path_factory.mktemp("bad-inputs")
    shutil.copy(built_warehouse, home / "build.duckdb")
    shutil.copy(built_warehouse.parent / "mobility.duckdb", home / "mobility.duckdb")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOBILITY_HOME", str(home))
        patch.setenv(privacy.KEY_ENV, KEY)
        patch.delenv("MOBILITY_SOURCE_DIR", raising=False)
        drop(participants(["C-0001", "C-0002", "C-0003"]).encode(), "participants_first.csv")
        assert len(intake.process_city(CITY, include_bundled=False).accepted) == 1
        yield home


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input_is_handled_cleanly(case, home, record_property, tmp_path, monkeypatch):
    published = identity(home / "mobility.duckdb")
    path = corpus_file(case, tmp_path)
    if case["target"] == "upload":
        seconds = check_upload(case, path, home)
    else:
        seconds = check_source(case, path, home, tmp_path, monkeypatch)
    record_property(BAD_INPUT_SECONDS, seconds)  # the slowest is printed at the end of the run
    assert seconds < BOUND_SECONDS
    assert identity(home / "mobility.duckdb") == published


# -- pilot uploads -------------------------------------------------------------------------------

def drop(content: bytes, name: str) -> Path:
    folder = intake.landing_dir(CITY)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return folder / name


def pilot_state(home: Path) -> tuple[list[str], dict[str, int]]:
    """The archive's files and the raw pilot tables rebuilt from it (what the next publish would carry)."""
    archived = sorted(p.name for p in intake.archive_dir(CITY).iterdir())
    con = duckdb.connect(str(home / "scratch.duckdb"))
    try:
        con.execute("create schema if not exists raw")
        return archived, rebuild_raw_tables(con)
    finally:
        con.close()


def archived_values(sha: str) -> str:
    files = [p.as_posix() for p in intake.archive_dir(CITY).glob(f"{sha}.*.parquet")]
    rows = [duckdb.connect().execute("select * from read_parquet(?)", [f]).fetchall() for f in files]
    return json.dumps(rows, default=str)


def key_of(participant_id: str) -> str:
    return hmac.new(KEY.encode(), f"{PILOT}:{participant_id}".encode(), hashlib.sha256).hexdigest()


def check_upload(case: dict, source: Path, home: Path) -> float:
    name, sha = source.name, file_sha256(source)
    before = pilot_state(home)
    path = drop(source.read_bytes(), name)

    start = time.perf_counter()
    result = intake.process_city(CITY, include_bundled=False)
    seconds = time.perf_counter() - start

    if case["outcome"] == "quarantined":
        assert [r["file"] for r in result.quarantined] == [name] and result.accepted == []
        kept = intake.landing_dir(CITY) / "quarantine" / name
        report_text = kept.with_name(name + ".report.json").read_text(encoding="utf-8")
        report = json.loads(report_text)
        assert report["file"] == name and report["sha256"] == sha and file_sha256(kept) == sha
        assert any(case["rule"] in b["rule"] and b["row"] == case["row"] and b["column"] == case["column"]
                   for b in report["breaches"]), report["breaches"]
        assert pilot_state(home) == before  # nothing archived, the pilot tables as they were
        shown = report_text
    else:
        (receipt,) = result.accepted
        assert result.quarantined == [] and receipt["file"] == name
        assert {k: receipt[k] for k in case["receipt"]} == case["receipt"]
        if "participants" in case:
            keys = duckdb.connect().execute(
                "select list(participant_key order by participant_key) from read_parquet(?)",
                [(intake.archive_dir(CITY) / f"{sha}.participants.parquet").as_posix()]).fetchone()[0]
            assert keys == sorted(key_of(i) for i in case["participants"])
        shown = json.dumps(receipt) + archived_values(sha)
    assert not path.exists()
    for secret in case.get("secrets", []):
        assert secret not in shown, f"{secret!r} was repeated"

    # The next good file is taken in as usual.
    good = drop(participants([f"G-{sha[:8]}-{n}" for n in range(3)]).encode(), f"participants_after_{name}.csv")
    assert [r["file"] for r in intake.process_city(CITY, include_bundled=False).accepted] == [good.name]
    return seconds


# -- Atlas, Census and Geography source files ----------------------------------------------------

def loader(table: str):
    """The table's loader, as its source step calls it."""
    for group in source_groups():
        for spec in group.files:
            if spec.table == table:
                return lambda con, home: load_source(spec, con, home)
        for custom in group.custom:
            if custom.table == table:
                return lambda con, home: custom.load(con, home, group.config())
    raise KeyError(table)


def load(table: str, home: Path) -> dict:
    with Warehouse(home=str(home)).connect() as con:
        return loader(table)(con, home)


def last_load(home: Path, table: str) -> tuple:
    con = duckdb.connect(str(home / "build.duckdb"), read_only=True)
    try:
        return con.execute("select sha256, row_count, loaded_at from raw._ingest_log where table_name = ? "
                           "order by loaded_at desc limit 1", [table]).fetchone()
    finally:
        con.close()


def check(home: Path, table: str):
    (suite,) = [s for s in load_suites(EXPECTATIONS_DIR) if (s.schema, s.table) == ("raw", table)]
    ((run, baseline),) = run_suite_group([suite], home)
    return run, check_result(run, baseline)


def check_source(case: dict, source: Path, home: Path, tmp_path: Path, monkeypatch) -> float:
    table = case["target"]
    files = [f.relative_to(SEEDS_DIR) for f in declared_files()[table]]
    sources = tmp_path / "sources"
    for relative in files:  # the bundled files, the first replaced by the bad one
        (sources / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEEDS_DIR / relative, sources / relative)
    replaced = sources / files[0]
    shutil.copy(source, replaced)
    monkeypatch.setenv("MOBILITY_SOURCE_DIR", str(sources))
    before = last_load(home, table)

    start = time.perf_counter()
    try:
        load(table, home)
        error = None
    except SourceFileError as refused:
        error = str(refused)
    if case["outcome"] == "check_error":
        run, result = check(home, table)
    seconds = time.perf_counter() - start

    if case["outcome"] == "load_error":
        assert error and error.startswith(f"{replaced}: "), error
        assert case["rule"] in error and case["where"] in error, error
        assert last_load(home, table) == before  # the raw table was not replaced
    elif case["outcome"] == "check_error":
        assert error is None
        assert not result.passed and run.blocking
        # What the UI shows: the description, and each failed rule with example rows.
        shown = result.description + json.dumps({k: v.value for k, v in result.metadata.items() if k.startswith("failed_")})
        assert case["rule"] in result.description and case["where"] in shown, shown
        assert f"(in {replaced})" in result.description
    else:
        assert error is None
        row = case["loaded"]
        where = " and ".join(f'"{column}" = ?' for column in row)
        con = duckdb.connect(str(home / "build.duckdb"), read_only=True)
        try:
            assert con.execute(f"select count(*) from raw.{table} where {where}", list(row.values())).fetchone()[0] == 1
        finally:
            con.close()
    assert file_sha256(replaced) == file_sha256(source)  # the file itself is never modified

    # The next good file (the bundled one) loads, and opens the table's check again.
    monkeypatch.delenv("MOBILITY_SOURCE_DIR")
    load(table, home)
    assert last_load(home, table)[:2] == before[:2]
    if case["outcome"] == "check_error":
        assert not check(home, table)[0].blocking
    return seconds
