"""Checks one uploaded table against the data contract (`seeds/pilots/contract.json`).

`check_table` returns the typed, identifier-free rows, or the breaches found. Every breach
names the row (spreadsheet numbering: header = row 1), the column and the rule, so a city
data team can open the file and fix it. Checks are column-wise (vectorised), not row loops.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

import numpy as np
import pandas as pd

from orchestration.pilots.privacy import identifier_columns, matching, normalise_name, redact_values
from orchestration.pilots.registry import Pilot

MAX_BREACHES_PER_RULE = 20
TRUE_VALUES = {"true", "1", "yes", "y", "t"}
FALSE_VALUES = {"false", "0", "no", "n", "f", ""}


@dataclass
class Breach:
    row: int | None  # spreadsheet row; 1 is the header, None for the file as a whole
    column: str | None
    rule: str
    value: str | None = None


@dataclass
class TableResult:
    table: str
    rows: pd.DataFrame | None = None
    breaches: list[Breach] = field(default_factory=list)
    dropped_identifier_columns: list[str] = field(default_factory=list)
    dropped_other_columns: list[str] = field(default_factory=list)
    redacted_cells: dict[str, int] = field(default_factory=dict)

    def breach_dicts(self) -> list[dict]:
        return [{"table": self.table, **asdict(b)} for b in self.breaches]


@dataclass
class CheckContext:
    """What the checks need to know beyond the file itself."""

    city_geoid: str
    pilots: dict[str, Pilot]  # the whole registry; only the city's pilots are accepted
    counties: set[str]  # the city's county GEOIDs
    contract: dict
    hash_ids: Callable[[pd.Series, pd.Series], pd.Series]
    known_participants: set[str]  # keys already accepted (archive and earlier files of this upload)
    checked_on: date = field(default_factory=lambda: datetime.now(timezone.utc).date())  # no date may be later


def _shown(value: str, identifier_like: bool) -> str:
    if identifier_like:
        return "(withheld: looks like a direct identifier)"
    return value if len(value) <= 60 else f"{value[:60]}... ({len(value):,} characters)"


def _flag(result: TableResult, frame: pd.DataFrame, mask: pd.Series, column: str, rule: str, patterns: dict) -> None:
    rows = frame.index[mask][:MAX_BREACHES_PER_RULE]
    values = frame.loc[rows, column].astype(str)
    # The patterns run on the start of each value: what is shown.
    identifier_like = matching(values.str[:200], list(patterns.values()))
    for index in rows:
        # Participant ids are never echoed: the row number is enough to find them.
        shown = None if column == "participant_id" else _shown(values[index], identifier_like[index])
        result.breaches.append(Breach(int(index) + 2, column, rule, shown))
    extra = int(mask.sum()) - MAX_BREACHES_PER_RULE
    if extra > 0:
        result.breaches.append(Breach(None, column, f"{rule} (and {extra} more rows)"))


def _as_date(values: pd.Series) -> pd.Series:
    # Excel date cells arrive as "2024-03-01 00:00:00".
    text = values.str.replace(r"[ T]00:00:00$", "", regex=True)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def _columns(frame: pd.DataFrame, spec: dict, context: CheckContext, result: TableResult) -> pd.DataFrame | None:
    rules = context.contract["direct_identifiers"]
    names = [normalise_name(c) for c in frame.columns]
    repeated = sorted({n for n in names if names.count(n) > 1})
    for name in repeated:
        result.breaches.append(Breach(1, name, "each column appears once in the header"))
    if repeated:
        return None
    frame = frame.set_axis(names, axis=1)
    allowed = [c["name"] for c in spec["columns"]]
    result.dropped_identifier_columns = identifier_columns([n for n in names if n not in allowed], rules["column_name_patterns"])
    result.dropped_other_columns = [n for n in names if n not in allowed and n not in result.dropped_identifier_columns]
    frame = frame[[n for n in names if n in allowed]].copy()
    for column in spec["columns"]:
        if column["name"] not in frame:
            if column["required"]:
                result.breaches.append(Breach(1, column["name"], "required column is missing from the header"))
            else:
                frame[column["name"]] = ""
    return None if result.breaches else frame.fillna("").astype(str).apply(lambda s: s.str.strip())


def check_table(table: str, raw: pd.DataFrame, context: CheckContext) -> TableResult:
    """`raw` holds the file's cells as text, header applied, one frame row per data row."""
    spec = context.contract["tables"][table]
    patterns = context.contract["direct_identifiers"]["value_patterns"]
    result = TableResult(table)
    frame = _columns(raw.reset_index(drop=True), spec, context, result)
    if frame is None:
        return result
    if frame.empty:
        result.breaches.append(Breach(None, None, f"the {table} table has no data rows"))
        return result
    limit = context.contract["limits"]["field_chars"]
    for name in frame.columns:
        _flag(result, frame, frame[name].str.len() > limit, name, f"a value is at most {limit:,} characters", patterns)
    if result.breaches:  # nothing else runs on values that long
        return result
    text_columns = [c["name"] for c in spec["columns"] if c["type"] == "text"]
    result.redacted_cells = redact_values(frame, text_columns, patterns)

    typed = pd.DataFrame(index=frame.index)
    city_pilots = {k: p for k, p in context.pilots.items() if p.city_geoid == context.city_geoid}
    for column in spec["columns"]:
        name, kind = column["name"], column["type"]
        values = frame[name]
        empty = values == ""
        if column["required"]:
            _flag(result, frame, empty, name, "a value is required", patterns)
        if kind == "date":
            typed[name] = _as_date(values)
            _flag(result, frame, ~empty & typed[name].isna(), name, "a date written YYYY-MM-DD", patterns)
            _flag(result, frame, typed[name] > pd.Timestamp(context.checked_on), name,
                  f"a date no later than the day the file is checked ({context.checked_on.isoformat()})", patterns)
        elif kind == "number":
            typed[name] = pd.to_numeric(values.where(~empty), errors="coerce")
            # "inf", "NaN" and "1e999" parse, but are no measurement.
            _flag(result, frame, ~empty & ~np.isfinite(typed[name]), name, "a number (digits, optional decimal point)",
                  patterns)
        elif kind == "boolean":
            lowered = values.str.lower()
            _flag(result, frame, ~lowered.isin(TRUE_VALUES | FALSE_VALUES), name, "true or false", patterns)
            typed[name] = lowered.isin(TRUE_VALUES)
        elif kind == "enum":
            lowered = values.str.lower()
            _flag(result, frame, ~empty & ~lowered.isin(column["values"]), name,
                  "one of: " + ", ".join(column["values"]), patterns)
            typed[name] = lowered
        elif kind == "tract_geoid":
            well_formed = values.str.fullmatch(r"[0-9]{11}")  # \d would take other scripts' digits
            _flag(result, frame, ~empty & ~well_formed, name,
                  "a tract GEOID of exactly 11 digits, stored as text so leading zeros stay", patterns)
            outside = ~empty & well_formed & ~values.str[:5].isin(context.counties)
            _flag(result, frame, outside, name, "a tract in one of the city's counties ("
                  + ", ".join(sorted(context.counties)) + ")", patterns)
            typed[name] = values
        elif kind == "pilot":
            _flag(result, frame, ~empty & ~values.isin(city_pilots), name,
                  "a pilot of this city in programs.csv (" + ", ".join(sorted(city_pilots)) + ")", patterns)
            typed[name] = values
        else:  # identifier, text, outcome
            typed[name] = values

    if result.breaches:
        return result
    _check_registry_rules(table, frame, typed, city_pilots, context, result, patterns)
    if result.breaches:
        return result
    typed["participant_key"] = context.hash_ids(typed["pilot_id"], typed["participant_id"])
    _check_keys(table, spec, frame, typed, context, result, patterns)
    if result.breaches:
        return result
    typed = typed.drop(columns=["participant_id"])
    typed.insert(0, "city_geoid", context.city_geoid)
    typed["source_row"] = typed.index + 2
    result.rows = typed
    return result


def _check_registry_rules(table, frame, typed, city_pilots, context, result, patterns) -> None:
    if table == "participants":
        start = pd.to_datetime(typed["pilot_id"].map({k: p.start_date for k, p in city_pilots.items()}))
        end = pd.to_datetime(typed["pilot_id"].map({k: p.end_date for k, p in city_pilots.items()}))
        outside = (typed["enrolment_date"] < start) | (typed["enrolment_date"] > end)
        _flag(result, frame, outside, "enrolment_date", "within the pilot's start and end dates (programs.csv)", patterns)
        early_exit = typed["exit_date"].notna() & (typed["exit_date"] < typed["enrolment_date"])
        _flag(result, frame, early_exit, "exit_date", "not before enrolment_date", patterns)
    if table == "outcomes":
        registered = {(k, o) for k, p in city_pilots.items() for o in p.outcomes}
        pairs = pd.Series(list(zip(typed["pilot_id"], typed["outcome"])), index=typed.index)
        unknown = ~pairs.isin(registered)
        _flag(result, frame, unknown, "outcome", "an outcome registered for the pilot in outcome_definitions.csv", patterns)
        binary = {(k, o) for k, p in city_pilots.items() for o, d in p.outcomes.items() if d.outcome_type == "binary"}
        not_binary = pairs.isin(binary) & ~typed["value"].isin([0, 1])
        _flag(result, frame, not_binary, "value", "0 or 1 for a binary outcome", patterns)


def _check_keys(table, spec, frame, typed, context, result, patterns) -> None:
    key = ["participant_key" if c == "participant_id" else c for c in spec["key"]]
    repeated = typed.duplicated(subset=key, keep="first")
    _flag(result, frame, repeated, spec["key"][-1],
          "one row per " + ", ".join(spec["key"]) + " (this row repeats an earlier one)", patterns)
    if table != "participants":
        unknown = ~typed["participant_key"].isin(context.known_participants)
        _flag(result, frame, unknown, "participant_id",
              "a participant in this upload's or an earlier accepted participants table", patterns)
