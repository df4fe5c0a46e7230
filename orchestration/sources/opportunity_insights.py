"""Reader for the official Opportunity Insights wide tract files (`tract_outcomes_simple.csv`).

Their columns are `state, county, tract` then `{outcome}_{race}_{gender}_p{pctile}` with a
`_se` twin, and counts as `{outcome}_{race}_{gender}_n` (or `..._p{pctile}_n`). They land in
`raw.atlas_tract_outcomes` in long form, one row per tract x outcome x race x gender x pctile.
Cells the file leaves empty (suppressed by Opportunity Insights) produce no row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from orchestration.ingestion.loading import pad
from orchestration.sources.optional_files import OptionalFile, text_reader

RACES = "pooled|white|black|hisp|asian|natam|other"
GENDERS = "pooled|male|female"
VALUE_COLUMN = rf"^([a-z0-9]+)_({RACES})_({GENDERS})_(p[0-9]+(_se|_n)?|n)$"


def _long_form_sql(cells: str, columns: list[str], path: Path) -> str:
    """One select per outcome x race x gender x percentile in the header, each reading its estimate,
    se and count columns (`..._p25_n`, else `..._n`): the columns are parsed here, once, never per cell."""
    found = {c: m.groups() for c in columns if (m := re.fullmatch(VALUE_COLUMN, c))}
    counts = {(o, r, g): c for c, (o, r, g, stat, _) in found.items() if stat == "n"}
    by_estimate: dict[tuple, dict[str, str]] = defaultdict(dict)
    for column, (outcome, race, gender, stat, suffix) in found.items():
        if stat != "n":
            pctile = int(stat[1:].split("_")[0])
            by_estimate[(outcome, race, gender, pctile)][{"_se": "se", "_n": "n"}.get(suffix, "estimate")] = column

    def number(column: str | None) -> str:
        return f'cast("{column}" as double)' if column else "cast(null as double)"

    selects = [
        f"select tract_geoid, '{outcome}', '{race}', '{gender}', {pctile}, {number(kinds.get('estimate'))}, "
        f"{number(kinds.get('se'))}, {number(kinds.get('n') or counts.get((outcome, race, gender)))} from tracts "
        "where " + " or ".join(f'"{kinds[k]}" is not null' for k in ("estimate", "se") if k in kinds)
        for (outcome, race, gender, pctile), kinds in sorted(by_estimate.items())
        if "estimate" in kinds or "se" in kinds
    ] or ["select null, null, null, null, null, null, null, null where false"]
    union = "\n        union all\n        ".join(selects)
    return f"""
    with tracts as (
        select {pad('state', 2)} || {pad('county', 3)} || {pad('tract', 6)} as tract_geoid, * from {cells}
    )
    select
        tract_geoid, outcome, race, gender, cast(parent_pctile as integer) as parent_pctile,
        estimate, se, count_children, '{path.name}' as source_file
    from (
        {union}
    ) as cells (tract_geoid, outcome, race, gender, parent_pctile, estimate, se, count_children)
    """


TRACT_OUTCOMES = OptionalFile(
    table="atlas_tract_outcomes",
    env_var="MOBILITY_ATLAS_TRACT_OUTCOMES",
    what="official tract outcomes file",
    columns="tract_geoid varchar, outcome varchar, race varchar, gender varchar, parent_pctile integer, "
    "estimate double, se double, count_children double, source_file varchar",
    required=("state", "county", "tract"),
    value_columns=VALUE_COLUMN,
    reader=text_reader,
    long_form=_long_form_sql,
)
