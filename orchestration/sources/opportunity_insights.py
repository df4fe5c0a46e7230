"""Reader for the official Opportunity Insights wide tract files (`tract_outcomes_simple.csv`).

Their columns are `state, county, tract` then `{outcome}_{race}_{gender}_p{pctile}` with a
`_se` twin, and counts as `{outcome}_{race}_{gender}_n` (or `..._p{pctile}_n`). They land in
`raw.atlas_tract_outcomes` in long form, one row per tract x outcome x race x gender x pctile.
Cells the file leaves empty (suppressed by Opportunity Insights) produce no row.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.ingest import pad
from orchestration.sources.optional_files import OptionalFile, text_reader

RACES = "pooled|white|black|hisp|asian|natam|other"
GENDERS = "pooled|male|female"
VALUE_COLUMN = rf"^([a-z0-9]+)_({RACES})_({GENDERS})_(p[0-9]+(_se|_n)?|n)$"


def _long_form_sql(path: Path) -> str:
    reader = text_reader(path)
    return f"""
    with cells as (
        unpivot (select * from {reader})
        on columns('{VALUE_COLUMN}')
        into name column_name value cell
    ),
    parsed as (
        select
            {pad('state', 2)} || {pad('county', 3)} || {pad('tract', 6)} as tract_geoid,
            regexp_extract(column_name, '{VALUE_COLUMN}', 1) as outcome,
            regexp_extract(column_name, '{VALUE_COLUMN}', 2) as race,
            regexp_extract(column_name, '{VALUE_COLUMN}', 3) as gender,
            regexp_extract(column_name, '{VALUE_COLUMN}', 4) as stat,
            column_name,
            cell
        from cells
    ),
    typed as (
        select
            *,
            try_cast(regexp_extract(stat, 'p([0-9]+)', 1) as integer) as parent_pctile,
            case when stat like '%_se' then 'se' when stat = 'n' or stat like '%_n' then 'n'
                 else 'estimate' end as kind,
            cast(cell as double) as value
        from parsed
    ),
    counts as (
        select tract_geoid, outcome, race, gender, parent_pctile, value as count_children
        from typed where kind = 'n'
    ),
    estimates as (
        select
            tract_geoid, outcome, race, gender, parent_pctile,
            max(value) filter (where kind = 'estimate') as estimate,
            max(value) filter (where kind = 'se') as se
        from typed where kind <> 'n'
        group by all
    )
    select
        e.tract_geoid, e.outcome, e.race, e.gender, e.parent_pctile, e.estimate, e.se,
        coalesce(c_pctile.count_children, c_all.count_children) as count_children,
        '{path.name}' as source_file
    from estimates as e
    left join counts as c_pctile using (tract_geoid, outcome, race, gender, parent_pctile)
    left join counts as c_all
        on c_all.parent_pctile is null and c_all.tract_geoid = e.tract_geoid
        and c_all.outcome = e.outcome and c_all.race = e.race and c_all.gender = e.gender
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
