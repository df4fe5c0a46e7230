"""`mobility export`: every published mart as Parquet or CSV files, a data dictionary and
Urban Institute-style files, for tools that do not speak DuckDB.

Urban-style files follow the Upward Mobility Framework's layout, so the warehouse's own city
figures sit beside Urban's data: one row per place (`state`, `place` FIPS; and `year` where the
figure has one) and subgroup (`subgroup_type`, `subgroup`), one column per metric with its
`_lb`, `_ub` and `_quality` columns, and `pctl_<metric>` for its national percentile.
"""

import re
from pathlib import Path
from typing import Callable

import duckdb

from orchestration.analysts import published
from orchestration.files import sql

# The target path is the user's: it goes to DuckDB's writers as a value, never into SQL text.
WRITERS = {"parquet": lambda relation, path: relation.write_parquet(path),
           "csv": lambda relation, path: relation.write_csv(path, header=True)}

# Opportunity Insights race codes as Urban names its race-ethnicity subgroups.
URBAN_SUBGROUPS = {
    "pooled": ("all", "All"),
    "black": ("race-ethnicity", "Black, Non-Hispanic"),
    "white": ("race-ethnicity", "White, Non-Hispanic"),
    "hisp": ("race-ethnicity", "Hispanic"),
    "asian": ("race-ethnicity", "Asian, Non-Hispanic"),
    "natam": ("race-ethnicity", "Native American, Non-Hispanic"),
    "other": ("race-ethnicity", "Other Races and Ethnicities"),
}
SUBGROUPS = "(values " + ", ".join(f"('{race}', '{kind}', '{name}')" for race, (kind, name) in URBAN_SUBGROUPS.items()) \
    + ") as subgroups(race, subgroup_type, subgroup)"


# The long marts the Urban-style files pivot: the rows, their keys (each with the mart column it
# comes from and how), the column naming the metric, and each metric's columns.
PLACE_KEYS = {"state": ("city_geoid", "State FIPS code, the first 2 digits of"),
              "place": ("city_geoid", "Place FIPS code, the last 5 digits of"),
              "place_name": ("city_name", "As")}
URBAN_FILES = {
    "urban_city_mobility": {
        "mart": "city_mobility",
        "metric": "outcome",
        "rows": f"""select left(city_geoid, 2) as state, right(city_geoid, 5) as place, city_name as place_name,
                subgroup_type, subgroup, outcome as metric, estimate, lb, ub, quality, pctl_national
            from marts.city_mobility
            inner join {SUBGROUPS} using (race)
            where gender = 'pooled' and parent_pctile = 25 and estimate is not null""",
        "keys": {**PLACE_KEYS, "subgroup_type": ("race", "Urban's subgroup dimension (`all` or `race-ethnicity`) of"),
                 "subgroup": ("race", "Urban's subgroup name (e.g. `Black, Non-Hispanic`) for")},
        "columns": {"": "estimate", "_lb": "lb", "_ub": "ub", "_quality": "quality", "pctl_": "pctl_national"},
    },
    "urban_city_census_indicators": {
        "mart": "city_indicators",
        "metric": "metric",
        "rows": """select year, left(city_geoid, 2) as state, right(city_geoid, 5) as place, city_name as place_name,
                subgroup_type, subgroup, metric, value, lb, ub, quality
            from marts.city_indicators
            where source like 'census%'""",
        "keys": {"year": ("year", "As"), **PLACE_KEYS, "subgroup_type": ("subgroup_type", "As"),
                 "subgroup": ("subgroup", "As")},
        "columns": {"": "value", "_lb": "lb", "_ub": "ub", "_quality": "quality"},
    },
}


def urban_column(metric: str, suffix: str) -> str:
    """`share_x` + `_lb` -> `share_x_lb`; `pctl_` + `share_x` -> `pctl_share_x`."""
    return suffix + metric if suffix.endswith("_") else metric + suffix


def urban_metrics(con: duckdb.DuckDBPyConnection, spec: dict) -> list[str]:
    return [m for (m,) in con.execute(f"select distinct metric from ({spec['rows']}) order by 1").fetchall()]


def urban_select(con: duckdb.DuckDBPyConnection, spec: dict) -> str:
    """One column per metric and suffix, from the long rows (one row per key and metric)."""
    columns = [f"max({source}) filter (where metric = {sql.text(metric)}) as {sql.identifier(urban_column(metric, suffix))}"
               for metric in urban_metrics(con, spec) for suffix, source in spec["columns"].items()]
    keys = ", ".join(spec["keys"])
    return f"select {keys}, {', '.join(columns)} from ({spec['rows']}) group by all order by {keys}"


# Every column of every mart: its type, unit and description, as the published file carries them
# (the descriptions are the columns' comments, from the dbt docs).
DICTIONARY = """select 'marts.' || columns.table_name as table_name, columns.column_name, columns.data_type,
        coalesce(units.unit, '') as unit, trim(coalesce(columns.comment, '')) as description
    from duckdb_columns() as columns
    left join audit.column_units as units
        on units.table_name = 'marts.' || columns.table_name and units.column_name = columns.column_name
    where columns.schema_name = 'marts'
    order by columns.table_name, columns.column_index"""


def metric_unit(con: duckdb.DuckDBPyConnection, mart: str, metric_column: str, metric: str, declared: str) -> str:
    """A metric's unit in a long mart: from the rows' `unit` column where the mart has one, from
    the metric's name prefix where the declared unit lists them ("share_ 0-1, ..."), else as declared."""
    if declared.startswith("as the row's `unit`"):
        found = con.execute(f"select min(unit) from marts.{sql.identifier(mart)} where {sql.identifier(metric_column)} = ?",
                            [metric]).fetchone()[0]
        return found or ""
    if declared.startswith("per metric"):
        by_prefix = dict(re.findall(r"(\w+_) ([^,)]+)", declared))
        return next((unit for prefix, unit in by_prefix.items() if metric.startswith(prefix)), declared)
    return declared


def urban_dictionary(con: duckdb.DuckDBPyConnection, name: str, spec: dict, marts: dict) -> list[tuple]:
    """An Urban-style file's columns, described from the long mart's columns they come from
    (`marts`: the dictionary's rows by table and column)."""
    mart = spec["mart"]
    types = {row[0]: row[1] for row in con.execute(f"describe {urban_select(con, spec)}").fetchall()}
    rows = []
    for key, (column, how) in spec["keys"].items():
        unit, description = marts[(f"marts.{mart}", column)]
        rows.append((key, unit, f"{how} `{mart}.{column}`: {description}"))
    for metric in urban_metrics(con, spec):
        for suffix, column in spec["columns"].items():
            unit, description = marts[(f"marts.{mart}", column)]
            rows.append((urban_column(metric, suffix), metric_unit(con, mart, spec["metric"], metric, unit),
                         f"`{mart}.{column}` of {spec['metric']} `{metric}`: {description}"))
    return [(name, column, types[column], unit, description) for column, unit, description in rows]


def dictionary(con: duckdb.DuckDBPyConnection) -> str:
    """Every column of every file written, with its type, unit and description (an Urban-style
    column's from the mart column it comes from), as a temporary table; returns its query."""
    rows = con.execute(DICTIONARY).fetchall()
    by_column = {(table, column): (unit, description) for table, column, _, unit, description in rows}
    for name, spec in URBAN_FILES.items():
        rows += urban_dictionary(con, name, spec, by_column)
    con.execute("create or replace temp table data_dictionary (table_name varchar, column_name varchar, "
                "data_type varchar, unit varchar, description varchar)")
    con.executemany("insert into data_dictionary values (?, ?, ?, ?, ?)", rows)
    return "select * from data_dictionary"


def copy(con: duckdb.DuckDBPyConnection, query: str, target: Path, fmt: str) -> int:
    relation = con.sql(query)
    if fmt == "csv":
        relation = relation.project(sql.csv_columns(relation))
    WRITERS[fmt](relation, str(target))
    # Fetched to the end: DuckDB refuses the next write while a result is unfinished.
    ((rows,),) = con.execute(f"select count(*) from ({query})").fetchall()
    return rows


def export(directory: Path, fmt: str, on_step: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Write every mart, `data_dictionary` and the Urban-style files into `directory`; returns
    each file's row count."""
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with published.reader() as con:
        marts = published.mart_tables(con)
        steps = len(marts) + len(URBAN_FILES) + 1
        for number, mart in enumerate(marts, start=1):
            query = f"select * from marts.{sql.identifier(mart)}"
            written[mart] = copy(con, query, directory / f"{mart}.{fmt}", fmt)
            on_step(f"[{number}/{steps}] marts.{mart}: {written[mart]:,} rows")
        for number, (name, spec) in enumerate(URBAN_FILES.items(), start=len(marts) + 1):
            written[name] = copy(con, urban_select(con, spec), directory / f"{name}.{fmt}", fmt)
            on_step(f"[{number}/{steps}] {name}: {written[name]:,} rows")
        written["data_dictionary"] = copy(con, dictionary(con), directory / f"data_dictionary.{fmt}", fmt)
        on_step(f"[{steps}/{steps}] data_dictionary: {written['data_dictionary']:,} columns described")
    return written
