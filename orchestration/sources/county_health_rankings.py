"""County Health Rankings & Roadmaps analytic data (`analytic_dataYYYY.csv`), when a city
downloads it: every county's measures with confidence bounds and, for some, values by race.

The file has two header rows, the measure names in words and then the variable names
(`statecode, countycode, fipscode, state, county, year`, then per measure `vNNN_rawvalue`,
`_numerator`, `_denominator`, `_cilow`, `_cihigh` and, for some, `vNNN_race_<group>` with its
own `_cilow`/`_cihigh`); a file with the variable-name row alone reads too. National and
state rows (county code 000) are left out. Empty cells produce no row.
"""

from pathlib import Path

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import pad
from orchestration.sources.optional_files import OptionalFile, OptionalFileConfig, stat_columns, text_reader

GROUP = "county_health_rankings"
VALUE_COLUMN = r"^(v[0-9]{3})_(rawvalue|numerator|denominator|cilow|cihigh|race_([a-z]+)(_cilow|_cihigh)?)$"


def _reader(path: Path) -> str:
    with path.open(encoding="utf-8", errors="replace") as handle:
        labels_first = "statecode" not in handle.readline().split(",")
    return text_reader(path, skip=int(labels_first))


def _long_form(cells: str, columns: list[str], path: Path) -> str:
    return f"""
    with cells as (
        unpivot (
            select * from {cells} where coalesce(try_cast(countycode as integer), -1) <> 0
        )
        on columns('{VALUE_COLUMN}') into name column_name value cell
    ),
    parsed as (
        select
            {pad('statecode', 2)} || {pad('countycode', 3)} as county_geoid,
            cast(year as integer) as year,
            regexp_extract(column_name, '{VALUE_COLUMN}', 1) as measure_id,
            coalesce(nullif(regexp_extract(column_name, '{VALUE_COLUMN}', 3), ''), 'all') as subgroup,
            case
                when column_name like '%cilow' then 'lb'
                when column_name like '%cihigh' then 'ub'
                when column_name like '%numerator' then 'numerator'
                when column_name like '%denominator' then 'denominator'
                else 'value'
            end as stat,
            cast(cell as double) as cell
        from cells
    )
    select
        county_geoid, year, measure_id, subgroup,
        {stat_columns('value', 'lb', 'ub', 'numerator', 'denominator')},
        '{path.name}' as source_file
    from parsed
    group by all
    """


ANALYTIC_DATA = OptionalFile(
    table="chr_county_measures",
    env_var="MOBILITY_CHR_ANALYTIC_DATA",
    what="County Health Rankings analytic data file",
    columns="county_geoid varchar, year integer, measure_id varchar, subgroup varchar, value double, "
    "lb double, ub double, numerator double, denominator double, source_file varchar",
    required=("statecode", "countycode", "year"),
    value_columns=VALUE_COLUMN,
    reader=_reader,
    long_form=_long_form,
)

measures = ANALYTIC_DATA.custom_table(
    GROUP,
    "County Health Rankings measures in long form: one row per county, release year, measure (vNNN) and "
    "subgroup (all, or a race) with value, confidence bounds, numerator and denominator. Empty unless "
    "a file is configured (env MOBILITY_CHR_ANALYTIC_DATA or run config).",
    "County Health Rankings & Roadmaps analytic data CSV (analytic_dataYYYY.csv), when configured.",
)

sources = SourceGroup(GROUP, [], [measures], OptionalFileConfig)
