"""`mobility export`: every published mart as Parquet or CSV files, a data dictionary and
Urban Institute-style files, for tools that do not speak DuckDB.

Urban-style files follow the Upward Mobility Framework's layout, so the warehouse's own city
figures sit beside Urban's data: one row per place (`state`, `place` FIPS; and `year` where the
figure has one) and subgroup (`subgroup_type`, `subgroup`), one column per metric with its
`_lb`, `_ub` and `_quality` columns, and `pctl_<metric>` for its national percentile.
"""

from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from orchestration.analysts import published
from orchestration.declarations.dbt_manifest import model_columns
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


# The long marts the Urban-style files pivot: the rows, their keys and each metric's columns.
URBAN_FILES = {
    "urban_city_mobility": {
        "rows": f"""select left(city_geoid, 2) as state, right(city_geoid, 5) as place, city_name as place_name,
                subgroup_type, subgroup, outcome as metric, estimate, lb, ub, quality, pctl_national
            from marts.city_mobility
            inner join {SUBGROUPS} using (race)
            where gender = 'pooled' and parent_pctile = 25 and estimate is not null""",
        "keys": ["state", "place", "place_name", "subgroup_type", "subgroup"],
        "columns": {"": "estimate", "_lb": "lb", "_ub": "ub", "_quality": "quality", "pctl_": "pctl_national"},
    },
    "urban_city_census_indicators": {
        "rows": """select year, left(city_geoid, 2) as state, right(city_geoid, 5) as place, city_name as place_name,
                subgroup_type, subgroup, metric, value, lb, ub, quality
            from marts.city_indicators
            where source like 'census%'""",
        "keys": ["year", "state", "place", "place_name", "subgroup_type", "subgroup"],
        "columns": {"": "value", "_lb": "lb", "_ub": "ub", "_quality": "quality"},
    },
}


def urban_column(metric: str, suffix: str) -> str:
    """`share_x` + `_lb` -> `share_x_lb`; `pctl_` + `share_x` -> `pctl_share_x`."""
    return suffix + metric if suffix.endswith("_") else metric + suffix


def urban_select(con: duckdb.DuckDBPyConnection, spec: dict) -> str:
    """One column per metric and suffix, from the long rows (one row per key and metric)."""
    metrics = [m for (m,) in con.execute(f"select distinct metric from ({spec['rows']}) order by 1").fetchall()]
    columns = [f"max({source}) filter (where metric = {sql.text(metric)}) as {sql.identifier(urban_column(metric, suffix))}"
               for metric in metrics for suffix, source in spec["columns"].items()]
    keys = ", ".join(spec["keys"])
    return f"select {keys}, {', '.join(columns)} from ({spec['rows']}) group by all order by {keys}"


def dictionary(con: duckdb.DuckDBPyConnection, marts: list[str]) -> pd.DataFrame:
    """Every column of every mart: its type (from the file) and its description and unit (from
    the dbt docs, where each is declared once)."""
    rows = []
    for mart in marts:
        documented = model_columns(mart)
        types = con.execute("select column_name, data_type from duckdb_columns() where schema_name = 'marts' "
                            "and table_name = ? order by column_index", [mart]).fetchall()
        for column, data_type in types:
            doc = documented.get(column, {"description": "", "meta": {}})
            rows.append({"table_name": f"marts.{mart}", "column_name": column, "data_type": data_type,
                         "unit": doc["meta"].get("unit", ""), "description": doc["description"].strip()})
    return pd.DataFrame(rows)


def copy(con: duckdb.DuckDBPyConnection, query: str, target: Path, fmt: str) -> int:
    WRITERS[fmt](con.sql(query), str(target))
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
        columns = dictionary(con, marts)
        con.register("data_dictionary", columns)
        written["data_dictionary"] = copy(con, "select * from data_dictionary", directory / f"data_dictionary.{fmt}", fmt)
        on_step(f"[{steps}/{steps}] data_dictionary: {written['data_dictionary']:,} columns described")
    return written
