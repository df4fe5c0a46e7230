"""Residents' privacy: direct identifiers never reach storage.

* Columns are kept only if the contract lists them; a column whose name looks like a
  direct identifier (name, date of birth, SSN, street address, phone, e-mail) is reported
  as such, any other unknown column as "not in the contract". Both are dropped.
* Free-text values that look like an SSN, e-mail address or phone number become "[redacted]".
  Every pattern runs in DuckDB's regular-expression engine (RE2), whose time is linear in the
  length of the text for any pattern: no value, however long or odd, can make a check backtrack.
* The participant id is replaced by HMAC-SHA256(key, "<pilot_id>:<participant_id>"), so the
  same person gets the same key in every file while the id itself is never stored. The key
  comes from `MOBILITY_PII_KEY`; the bundled synthetic data uses a published development key
  (it holds no real person, so nothing needs protecting).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

import duckdb
import pandas as pd

KEY_ENV = "MOBILITY_PII_KEY"
# Published on purpose: only ever used for the bundled synthetic pilots.
REDACTED = "[redacted]"
DEVELOPMENT_KEY = "mobility-warehouse-synthetic-data-development-key"


class MissingKeyError(RuntimeError):
    """Real uploads arrived but no pseudonymisation key is configured."""


def pii_key(synthetic: bool) -> bytes:
    if synthetic:
        return DEVELOPMENT_KEY.encode()
    key = os.environ.get(KEY_ENV, "")
    if not key:
        raise MissingKeyError(
            f"{KEY_ENV} is not set: pilot uploads cannot be pseudonymised, so nothing was ingested "
            f"and the files stay in the landing zone. Set {KEY_ENV} to the warehouse's secret key "
            "(the same key for every run, or participants will not match across files) and run again."
        )
    if key == DEVELOPMENT_KEY:
        raise MissingKeyError(f"{KEY_ENV} is set to the published development key; real uploads need a secret key.")
    return key.encode()


def normalise_name(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(column).strip().lower()).strip("_")


def matching(values: pd.Series, patterns: list[str]) -> pd.Series:
    """Which values contain a match of any of the patterns (RE2 syntax), as a boolean Series."""
    if values.empty or not patterns:
        return pd.Series(False, index=values.index)
    combined = "|".join(f"(?:{p})" for p in patterns)
    con = duckdb.connect()
    try:
        con.register("checked", pd.DataFrame({"value": values.astype(str).to_numpy(dtype=object)}))
        hits = con.execute("select coalesce(regexp_matches(value, ?), false) as hit from checked", [combined])
        return pd.Series(hits.fetchnumpy()["hit"], index=values.index, dtype=bool)
    finally:
        con.close()


def identifier_columns(columns: list[str], patterns: list[str]) -> list[str]:
    hit = matching(pd.Series([normalise_name(c) for c in columns], dtype=object), patterns)
    return [c for c, h in zip(columns, hit) if h]


def redact_values(frame: pd.DataFrame, columns: list[str], value_patterns: dict[str, str]) -> dict[str, int]:
    """Replace free-text cells that look like a direct identifier; returns counts per column."""
    counts = {}
    for column in columns:
        if column not in frame:
            continue
        hit = matching(frame[column], list(value_patterns.values()))
        if hit.any():
            frame.loc[hit, column] = REDACTED
            counts[column] = int(hit.sum())
    return counts


def pseudonymise(pilot_ids: pd.Series, participant_ids: pd.Series, key: bytes) -> pd.Series:
    """One HMAC per distinct id (files repeat ids across many service and outcome rows)."""
    pairs = pilot_ids.astype(str) + ":" + participant_ids.astype(str).str.strip()
    digests = {v: hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in pairs.unique()}
    return pairs.map(digests)
