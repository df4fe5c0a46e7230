"""Stanford Education Data Archive (SEDA) county long files on the grade-cohort scale
(`seda_county_long_gcs_<version>.csv`), when a city downloads one: average test scores per
county, subject (`rla`, `mth`), grade (3-8) and spring year.

Per the SEDA codebook the file has one row per `sedacounty` (county FIPS) x `subject` x
`grade` x `year`, with subgroups as columns: `gcs_mn_<g>` (mean in grade levels), its standard
error `gcs_mn_se_<g>`, and the number of tests, `tot_asmt_<g>` (SEDA 5 and later) or
`totgyb_<g>` (SEDA 4). Subgroups read: all, wht, blk, hsp, asn, nam, fem, mal, ecd, nec.
District files are not read: places are reached through counties. Empty cells produce no row.
"""

from pathlib import Path

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import pad
from orchestration.sources.optional_files import OptionalFile, OptionalFileConfig, stat_columns, text_reader

GROUP = "seda"
SUBGROUPS = "all|wht|blk|hsp|asn|nam|fem|mal|ecd|nec"
VALUE_COLUMN = rf"^(gcs_mn_se|gcs_mn|tot_asmt|totgyb)_({SUBGROUPS})$"


def _long_form(cells: str, columns: list[str], path: Path) -> str:
    return f"""
    with cells as (
        unpivot (select * from {cells})
        on columns('{VALUE_COLUMN}') into name column_name value cell
    ),
    parsed as (
        select
            {pad('sedacounty', 5)} as county_geoid,
            lower(subject) as subject,
            cast(grade as integer) as grade,
            cast(year as integer) as year,
            regexp_extract(column_name, '{VALUE_COLUMN}', 2) as subgroup,
            case regexp_extract(column_name, '{VALUE_COLUMN}', 1)
                when 'gcs_mn' then 'mean_grade_level' when 'gcs_mn_se' then 'se' else 'count_tests'
            end as stat,
            cast(cell as double) as cell
        from cells
    )
    select
        county_geoid, subject, grade, year, subgroup,
        {stat_columns('mean_grade_level', 'se', 'count_tests')},
        '{path.name}' as source_file
    from parsed
    group by all
    """


COUNTY_LONG = OptionalFile(
    table="seda_county_scores",
    env_var="MOBILITY_SEDA_COUNTY_LONG",
    what="SEDA county long file on the grade-cohort scale",
    columns="county_geoid varchar, subject varchar, grade integer, year integer, subgroup varchar, "
    "mean_grade_level double, se double, count_tests double, source_file varchar",
    required=("sedacounty", "subject", "grade", "year", "gcs_mn_all"),
    value_columns=VALUE_COLUMN,
    reader=text_reader,
    long_form=_long_form,
)

scores = COUNTY_LONG.custom_table(
    GROUP,
    "SEDA average test scores in long form: one row per county, subject, grade, spring year and "
    "subgroup with the mean in grade levels, its standard error and the number of tests. Empty "
    "unless a file is configured (env MOBILITY_SEDA_COUNTY_LONG or run config).",
    "SEDA county long file on the grade-cohort scale (seda_county_long_gcs_<version>.csv), when configured.",
)

sources = SourceGroup(GROUP, [], [scores], OptionalFileConfig)
