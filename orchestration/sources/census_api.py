"""Census Data API: parsing its responses and a small client for the live service.

The live API answers a list of lists whose first row is the header. The bundled Tulsa
responses were stored as a list of objects. Both parse to the same table.
The client is off by default (bundled files are used); it caches every response on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable

import pandas as pd

from orchestration.files.bytes import SourceFileError

API_ROOT = "https://api.census.gov/data"
GEOGRAPHY_COLUMNS = ("state", "county", "tract", "place", "NAME", "SUMLEVEL", "GEO_ID")
# Census "annotation" values stand in for missing or unreliable estimates.
ANNOTATION_VALUES = ("-111111111", "-222222222", "-333333333", "-555555555", "-666666666",
                     "-888888888", "-999999999")


def response_frame(payload: object, shown: str) -> pd.DataFrame:
    """Either JSON form of a Census API response as a frame of strings."""
    if payload == [] or payload == [[]]:
        raise SourceFileError(f"{shown}: an empty response (rule: a response holds at least one tract)")
    if isinstance(payload, list) and payload and all(isinstance(r, list) for r in payload):
        header, *rows = payload
        widths = {len(r) for r in rows}
        if widths - {len(header)}:
            raise SourceFileError(f"{shown}: rule 'every row has as many cells as the header row' broken")
        frame = pd.DataFrame(rows, columns=header, dtype="string")
    elif isinstance(payload, list) and all(isinstance(r, dict) for r in payload):
        frame = pd.DataFrame.from_records(payload).astype("string")
    else:
        raise SourceFileError(
            f"{shown}: not a Census API response (rule: a list of lists with a header row, "
            "or a list of objects)"
        )
    missing = [c for c in ("state", "county", "tract") if c not in frame.columns]
    if missing:
        raise SourceFileError(f"{shown}: missing geography column(s) {', '.join(missing)} "
                              "(rule: tract-level responses carry state, county, tract)")
    return frame


def tract_values(frame: pd.DataFrame, dataset: str, year: int, shown: str) -> pd.DataFrame:
    """Long form: one row per tract and variable, value kept as the API's string."""
    variables = [c for c in frame.columns if c not in GEOGRAPHY_COLUMNS]
    if not variables:
        raise SourceFileError(f"{shown}: no variable columns (rule: a response carries at least one variable)")
    ids = frame[["state", "county", "tract"]].copy()
    ids["tract_name"] = frame["NAME"] if "NAME" in frame.columns else pd.NA
    long = pd.concat([ids, frame[variables]], axis=1).melt(
        id_vars=["state", "county", "tract", "tract_name"], var_name="variable", value_name="value"
    )
    long.insert(0, "year", year)
    long.insert(0, "dataset", dataset)
    long.insert(2, "tract_geoid", long["state"].str.zfill(2) + long["county"].str.zfill(3) + long["tract"].str.zfill(6))
    long["source_file"] = shown
    return long


class CensusApiClient:
    """Fetches `/data/{year}/{dataset}` for tracts; every response is cached under `cache_dir`."""

    def __init__(
        self,
        cache_dir: Path,
        key: str | None = None,
        fetch: Callable[[str], bytes] | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.key = key if key is not None else os.environ.get("CENSUS_API_KEY") or None
        self._fetch = fetch or _http_get

    def url(self, year: int, dataset: str, variables: list[str], state: str, county: str) -> str:
        query = {"get": ",".join(["NAME", *variables]), "for": "tract:*", "in": f"state:{state} county:{county}"}
        if self.key:
            query["key"] = self.key
        return f"{API_ROOT}/{year}/{dataset}?{urllib.parse.urlencode(query)}"

    def cache_path(self, year: int, dataset: str, variables: list[str], state: str, county: str) -> Path:
        # The key is left out: a cached response does not depend on who asked for it.
        ident = f"{year}|{dataset}|{','.join(variables)}|{state}|{county}"
        digest = hashlib.sha256(ident.encode()).hexdigest()[:16]
        return self.cache_dir / f"{dataset.replace('/', '_')}_{year}_{state}{county}_{digest}.json"

    def get(self, year: int, dataset: str, variables: list[str], state: str, county: str) -> list[list[str]]:
        cached = self.cache_path(year, dataset, variables, state, county)
        if cached.exists():
            return json.loads(cached.read_text())
        url = self.url(year, dataset, variables, state, county)
        body = self._fetch(url)
        shown = url.split("&key=")[0]
        try:
            payload = json.loads(body)
        except json.JSONDecodeError as exc:
            text = body[:200].decode("utf-8", "replace")
            raise SourceFileError(f"{shown}: the Census API did not answer JSON: {text!r}") from exc
        response_frame(payload, shown)  # validates the form before anything is cached
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.write_text(json.dumps(payload))
        partial.replace(cached)
        return payload


def _http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https host
        return response.read()
