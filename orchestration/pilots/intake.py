"""Intake of one city's pilot files: check against the contract, pseudonymise, archive.

Landing zone: `MOBILITY_HOME/landing/pilots/<city_geoid>/` (CSV or .xlsx, top level).
For each file, whole-file and all-or-nothing, and each file on its own (no file can stop another):

* its SHA-256 is already archived -> a `duplicate` receipt, nothing is added;
* it breaks the contract, or cannot be read or checked at all (any type, encoding or size)
  -> moved to `quarantine/` beside a `<file>.report.json` naming each breach's row, column
  and rule (or what went wrong); nothing else changes;
* otherwise -> its identifier-free, pseudonymised rows are archived as Parquet under
  `MOBILITY_HOME/archive/pilots/<city_geoid>/<sha256>.<table>.parquet` with a
  `<sha256>.receipt.json`, a copy of the receipt goes to `receipts/`, and the upload is
  removed from the landing zone (the original, which may carry identifiers, is not kept).

The bundled synthetic pilots (`seeds/pilots/synthetic/<city_geoid>/`) go through the same
checks with the development key; they are read in place, never moved.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from orchestration import settings
from orchestration.files import sql
from orchestration.files.bytes import file_sha256
from orchestration.pilots import privacy, registry
from orchestration.pilots.contract import CheckContext, TableResult, check_table
from orchestration.pilots.reading import TABLES, Unreadable, read_upload, table_of

# Names under which copy tools and browsers write a file that has not fully arrived yet.
IN_PROGRESS_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download")

def archive_select(table: str) -> str:
    """The archived (and raw) shape of a table, from the contract: every file is written in it.
    An optional text column left empty is stored as null."""
    return ", ".join(f"nullif({name}, '') as {name}" if kind == "varchar" else f"cast({name} as {kind}) as {name}"
                     for name, kind in registry.raw_columns(table).items())


class BundledDataError(RuntimeError):
    """The bundled synthetic files break the contract: a defect in the repository, not an upload."""


def landing_dir(city_geoid: str) -> Path:
    return settings.mobility_home() / "landing" / "pilots" / city_geoid


def archive_dir(city_geoid: str | None = None) -> Path:
    base = settings.mobility_home() / "archive" / "pilots"
    return base / city_geoid if city_geoid else base


def pending_uploads(city_geoid: str) -> list[Path]:
    """Every file in the landing folder, whatever its type (each gets a receipt or a report),
    but for hidden files, Office lock files and files still being copied."""
    folder = landing_dir(city_geoid)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
                  and not p.name.lower().endswith(IN_PROGRESS_SUFFIXES))


def bundled_files(city_geoid: str) -> list[Path]:
    folder = registry.synthetic_dir() / city_geoid
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def _upload_order(path: Path) -> tuple[int, str]:
    # Participants before the services and outcomes that refer to them.
    table = table_of(path.stem)
    return (0 if table == "participants" else 1 if path.suffix.lower() == ".xlsx" else 2, path.name)


def archived_participants(city_geoid: str) -> set[str]:
    files = list(archive_dir(city_geoid).glob("*.participants.parquet"))
    if not files:
        return set()
    paths = [f.as_posix() for f in files]
    rows = duckdb.connect().execute("select distinct participant_key from read_parquet(?)", [paths]).fetchall()
    return {r[0] for r in rows}


@dataclass
class CityIntake:
    city_geoid: str
    accepted: list[dict] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    quarantined: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.city_geoid}: {len(self.accepted)} accepted, {len(self.duplicates)} already archived, "
                f"{len(self.quarantined)} quarantined")


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(content, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    if not target.exists():
        return target
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    return folder / f"{Path(name).stem}.{stamp}{Path(name).suffix}"


def _quarantine(path: Path, sha256: str | None, breaches: list[dict], city: str) -> dict:
    folder = landing_dir(city) / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, path.name)
    shutil.move(str(path), target)
    report = {
        "status": "quarantined",
        "file": path.name,
        "sha256": sha256,
        "checked_at": datetime.now(timezone.utc).isoformat(),
        "summary": f"{path.name} breaks the pilot data contract in {len(breaches)} place(s); nothing from it "
        "was stored. Fix the rows named below and drop the corrected file in the landing folder again.",
        "breaches": breaches,
    }
    _write_json(target.with_name(target.name + ".report.json"), report)
    return report


def _archive(results: list[TableResult], path: Path, sha256: str, city: str, synthetic: bool, ignored: list[str],
             primary_outcomes: str) -> dict:
    folder = archive_dir(city)
    folder.mkdir(parents=True, exist_ok=True)
    accepted_at = datetime.now(timezone.utc)
    con = duckdb.connect()
    written = []
    try:
        for result in results:
            frame = result.rows
            frame["is_synthetic"] = frame.get("is_synthetic", False) | synthetic
            con.register("upload", frame)
            target = folder / f"{sha256}.{result.table}.parquet"
            tmp = target.with_name(target.name + ".tmp")
            written += [tmp, target]
            con.execute(
                f"copy (select {archive_select(result.table)}, is_synthetic, cast(source_row as integer) as source_row, "
                f"? as source_sha256, ? as source_file, cast(? as timestamptz) as accepted_at from upload) "
                f"to {sql.path(tmp)} (format parquet)",
                [sha256, path.name, accepted_at],
            )
            con.unregister("upload")
            os.replace(tmp, target)
    except Exception:
        for leftover in written:  # no table of a file that was not accepted whole stays in the archive
            leftover.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    receipt = {
        "status": "accepted",
        "file": path.name,
        "sha256": sha256,
        "city_geoid": city,
        "accepted_at": accepted_at.isoformat(),
        "is_synthetic": synthetic or any(bool(r.rows["is_synthetic"].any()) for r in results),
        "rows": {r.table: int(len(r.rows)) for r in results},
        "dropped_identifier_columns": sorted({c for r in results for c in r.dropped_identifier_columns}),
        "dropped_other_columns": sorted({c for r in results for c in r.dropped_other_columns}),
        "redacted_cells": {f"{r.table}.{c}": n for r in results for c, n in r.redacted_cells.items()},
        "ignored_sheets": ignored,
        # The city's pilots' primary outcomes as registered when the file arrived: a later change shows.
        "registered_primary_outcomes": primary_outcomes,
        "bundled": synthetic,  # the repository's practice data, replaced when it is regenerated
    }
    _write_json(folder / f"{sha256}.receipt.json", receipt)
    return receipt


def process_city(city_geoid: str, include_bundled: bool = True) -> CityIntake:
    """Take in every pending upload (and, with `include_bundled`, the bundled synthetic files)
    of one city. Idempotent: files already archived add nothing."""
    outcome = CityIntake(city_geoid)
    uploads = sorted(pending_uploads(city_geoid), key=_upload_order)
    bundled = sorted(bundled_files(city_geoid), key=_upload_order) if include_bundled else []
    if not uploads and not bundled:
        return outcome
    if bundled:
        drop_superseded_bundled(city_geoid, {file_sha256(p) for p in bundled})
    real_key = privacy.pii_key(synthetic=False) if uploads else b""  # fail before touching any file
    pilots = registry.load_pilots()
    counties = registry.city_counties().get(city_geoid, set())
    contract = registry.load_contract()
    known = archived_participants(city_geoid)

    for path, synthetic in [(p, True) for p in bundled] + [(p, False) for p in uploads]:
        key = privacy.pii_key(synthetic=True) if synthetic else real_key
        context = CheckContext(city_geoid, pilots, counties, contract,
                               lambda pilot, ids, key=key: privacy.pseudonymise(pilot, ids, key), set(known))
        if synthetic:  # a bundled file that fails is a defect of the repository: it stops the run
            accepted = _take_in(path, True, context, outcome)
        else:
            try:
                accepted = _take_in(path, False, context, outcome)
            except Exception as error:  # whatever goes wrong with one upload is its report, not a failed run
                sha256 = file_sha256(path) if path.is_file() else None
                rule = f"a file the warehouse can read and check; checking this one failed ({_reason(error, contract)})"
                outcome.quarantined.append(_quarantine(path, sha256, [_file_breach(rule)], city_geoid))
                continue
        if accepted:
            known |= context.known_participants
    return outcome


def drop_superseded_bundled(city_geoid: str, current: set[str]) -> None:
    """Remove from the archive the bundled synthetic files of an earlier version of the
    repository (regenerated practice data): their rows would otherwise mix with the current ones."""
    bundled_names = {f"{table}.csv" for table in TABLES}
    for receipt in archive_dir(city_geoid).glob("*.receipt.json"):
        content = json.loads(receipt.read_text(encoding="utf-8"))
        superseded = content["sha256"] not in current and content.get("is_synthetic") and content["file"] in bundled_names
        if superseded and content.get("bundled", True):
            for path in archive_dir(city_geoid).glob(f"{content['sha256']}.*"):
                path.unlink()


def _file_breach(rule: str, row: int | None = None, table: str | None = None) -> dict:
    return {"table": table, "row": row, "column": None, "rule": rule, "value": None}


def _reason(error: Exception, contract: dict) -> str:
    """The error in one short line, withheld if it quotes what looks like a direct identifier."""
    message = (str(error).strip().splitlines() or [""])[0][:200]
    patterns = list(contract["direct_identifiers"]["value_patterns"].values())
    if privacy.matching(pd.Series([message], dtype=object), patterns).iloc[0]:
        message = "message withheld: it quotes what looks like a direct identifier"
    return f"{type(error).__name__}: {message}"


def _take_in(path: Path, synthetic: bool, context: CheckContext, outcome: CityIntake) -> bool:
    """Archive, quarantine or recognise one file, recorded in `outcome`; whether it was accepted
    (its participants are then in `context.known_participants`)."""
    city_geoid = context.city_geoid
    sha256 = file_sha256(path)
    if (archive_dir(city_geoid) / f"{sha256}.receipt.json").exists():
        if not synthetic:
            _write_json(landing_dir(city_geoid) / "receipts" / f"{path.name}.{sha256[:12]}.json",
                        {"status": "duplicate", "file": path.name, "sha256": sha256,
                         "summary": "identical to a file already accepted; nothing was added"})
            path.unlink()
        outcome.duplicates.append(path.name)
        return False
    try:
        tables, ignored = read_upload(path, context.contract["limits"])
        breaches = []
    except Unreadable as unreadable:
        tables, ignored = {}, []
        breaches = [_file_breach(unreadable.rule, unreadable.row, unreadable.table)]
    if city_geoid not in {p.city_geoid for p in context.pilots.values()}:
        breaches.append(_file_breach(f"the folder {city_geoid} is the place GEOID of a city with a pilot in programs.csv"))
    results = []
    for table in sorted(tables, key=TABLES.index):
        result = check_table(table, tables[table], context)
        breaches += result.breach_dicts()
        if result.rows is not None and table == "participants":
            context.known_participants |= set(result.rows["participant_key"])
        results.append(result)
    if breaches:
        if synthetic:
            raise BundledDataError(f"{path}: bundled synthetic file breaks the contract: {breaches[:5]}")
        outcome.quarantined.append(_quarantine(path, sha256, breaches, city_geoid))
        return False
    primary_outcomes = ";".join(f"{p.pilot_id}={p.main_outcome}" for p in sorted(context.pilots.values(), key=lambda p: p.pilot_id)
                                if p.city_geoid == city_geoid)
    receipt = _archive(results, path, sha256, city_geoid, synthetic, ignored, primary_outcomes)
    if not synthetic:
        _write_json(landing_dir(city_geoid) / "receipts" / f"{path.name}.{sha256[:12]}.json", receipt)
        path.unlink()
    outcome.accepted.append(receipt)
    return True
