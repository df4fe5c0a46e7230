"""The pilot program registry and the data contract, read from `seeds/pilots/`.

Adding a city's pilot is data, not code: a row in `seeds/city_registry.csv`, a row in
`programs.csv` and one row per outcome in `outcome_definitions.csv`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from orchestration import settings
from orchestration.settings import source_dir


def pilots_dir() -> Path:
    return source_dir() / "pilots"


def synthetic_dir() -> Path:
    return pilots_dir() / "synthetic"


@dataclass(frozen=True)
class Outcome:
    name: str
    outcome_type: str  # binary | continuous
    better_direction: str  # higher | lower
    window_start_days: int  # the follow-up window, in days after enrolment
    window_end_days: int


@dataclass(frozen=True)
class Pilot:
    pilot_id: str
    city_geoid: str
    design: str
    start_date: str
    end_date: str
    main_outcome: str
    outcomes: dict[str, Outcome]


def _rows(name: str) -> list[dict[str, str]]:
    with (pilots_dir() / name).open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def load_contract() -> dict:
    """The contract in the source directory. One written for an older version of the warehouse
    (without a part the bundled contract has) stops the intake with this message, rather than
    quarantining every upload on a rule nobody can meet."""
    path = pilots_dir() / "contract.json"
    contract = json.loads(path.read_text(encoding="utf-8"))
    bundled = json.loads((settings.SEEDS_DIR / "pilots" / "contract.json").read_text(encoding="utf-8"))
    missing = [key for key in bundled if key not in contract]
    missing += [f"limits.{key}" for key in bundled["limits"] if key not in contract.get("limits", {})]
    if missing:
        raise ValueError(f"{path}: the pilot data contract lacks {', '.join(dict.fromkeys(missing))}, which "
                         f"this version of the warehouse needs; compare it with {settings.SEEDS_DIR / 'pilots' / 'contract.json'}")
    return contract


# SQL type of each contract column type; every other type is text.
SQL_TYPES = {"date": "date", "number": "double", "boolean": "boolean"}


def raw_columns(table: str) -> dict[str, str]:
    """Name and SQL type of each column of a contract table as archived and loaded raw: the
    city, then the contract's columns in order, the participant id replaced by its keyed hash.
    `is_synthetic` travels with the lineage columns. Derived from the bundled contract, the
    one declaration of the pilot tables."""
    contract = json.loads((settings.SEEDS_DIR / "pilots" / "contract.json").read_text(encoding="utf-8"))
    columns = {"city_geoid": "varchar"}
    for column in contract["tables"][table]["columns"]:
        if column["name"] != "is_synthetic":
            name = "participant_key" if column["type"] == "identifier" else column["name"]
            columns[name] = SQL_TYPES.get(column["type"], "varchar")
    return columns


def load_pilots() -> dict[str, Pilot]:
    outcomes: dict[str, dict[str, Outcome]] = {}
    for row in _rows("outcome_definitions.csv"):
        outcomes.setdefault(row["pilot_id"], {})[row["outcome"]] = Outcome(
            row["outcome"], row["outcome_type"], row["better_direction"],
            int(row["window_start_days"]), int(row["window_end_days"]),
        )
    return {
        row["pilot_id"]: Pilot(
            pilot_id=row["pilot_id"],
            city_geoid=row["city_geoid"].zfill(7),
            design=row["design"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            main_outcome=row["main_outcome"],
            outcomes=outcomes.get(row["pilot_id"], {}),
        )
        for row in _rows("programs.csv")
    }


def pilot_cities() -> list[str]:
    """Place GEOIDs of every city with a registered pilot: the `pilot_city` partitions."""
    return sorted({p.city_geoid for p in load_pilots().values()})


def city_counties() -> dict[str, set[str]]:
    """County GEOIDs of each registry city (home tracts must lie in one of them)."""
    with (source_dir() / "city_registry.csv").open(newline="", encoding="utf-8") as handle:
        return {
            row["city_geoid"].strip().zfill(7): {c.strip().zfill(5) for c in row["county_geoids"].split(";") if c.strip()}
            for row in csv.DictReader(handle)
        }
