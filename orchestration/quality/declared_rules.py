"""Great Expectations rules derived from the dbt YAML, where every table is declared once.

A source table or model declares its rules in `meta`, beside the columns' docs:

    sources: tables: - name: urban_income          models: - name: city_mobility
        meta: {keys: [year, state, place]}               meta: {keys: [...], row_rules: [...]}
        columns:                                          columns:
          - name: pctl_income_50                            - name: se
            meta: {unit: dollars, range: [0, 2000000],        meta: {range: [0, null]}
                   interval: [pctl_income_50_lb, pctl_income_50_ub]}

Column meta: `unit` (words, shown in the rule), `range: [min, max]` (either may be null),
`values: [...]`, `not_null`, `unique`, `geoid_width` (checked here on models; the loader checks
it on source files before the table exists), `regex`, `mean: [min, max]`, `interval: [lb, ub]`
(lb <= value <= ub), `references: [schema.table, ...]` (every value appears in that table's
column of the same name), `known_county` (`true`: the first five digits are a known county; or
the SQL that makes the county GEOID), `known_counties` (the SQL of a list of county GEOIDs) and
`severity: warning` for all of that column's rules. Model and source meta: `keys` (the primary
key) and `row_rules: [{rule, where, severity}]` (rows matching `where` break the rule). A
contract's `not_null` constraint needs no check: the database enforces it. Every source table
and every mart also gets the row-count rule: rows may not fall more than `row_drop_limit` (a
dbt var) below the last publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from orchestration import settings

# Every county a national county file names, read from the raw tables so that a broken key stops
# the build before dbt runs. Bedford city VA (51515) merged into its county in 2013; 2010 tracts
# still name it.
KNOWN_COUNTIES = """(
    select state || county from raw.census_county_population
    union select state || county from raw.atlas_county_outcomes
    union select county from raw.atlas_social_capital_county
    union select state || county from raw.oi_cz_county_crosswalk
    union select '51515'
)"""
# Layers whose every table carries the row-count rule: what is loaded and what is published.
COUNTED = ("raw", "marts")


@dataclass(frozen=True)
class Declared:
    """One table's declared rules: (type, kwargs, severity, rule in words) each."""

    schema: str
    table: str
    description: str
    file: Path
    rules: tuple[tuple[str, dict[str, Any], str, str], ...]


def project_vars() -> dict[str, Any]:
    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return project.get("vars") or {}


# How each engine quotes an identifier: DuckDB with double quotes, Spark SQL with backticks (a
# double-quoted word is a string there).
QUOTES = {"duckdb": '"', "spark": "`"}


def quoted(column: str, engine: str = "duckdb") -> str:
    """`column` as an identifier in `engine`'s SQL, its quote character doubled inside."""
    mark = QUOTES[engine]
    return mark + column.replace(mark, mark + mark) + mark


def check_engine(schema: str, engine: str) -> str:
    """The engine that validates a table of `schema`: raw tables are loaded, and checked, by
    DuckDB whatever engine builds the models."""
    return "duckdb" if schema == "raw" else engine


def unknown_counties(values: str, engine: str) -> str:
    """The condition that the list `values` names a county outside KNOWN_COUNTIES: DuckDB unnests
    it in a correlated subquery; Spark cannot, so it takes the list minus every known county."""
    if engine == "spark":
        known = f"(select collect_set(county_geoid) from {KNOWN_COUNTIES} as known(county_geoid))"
        return f"size(array_except({values}, {known})) > 0"
    return f"exists (select 1 from unnest({values}) as listed(county_geoid) where county_geoid not in {KNOWN_COUNTIES})"


def number(value: Any) -> Any:
    """Meta rendered from `{{ var(...) }}` arrives as text."""
    if isinstance(value, str):
        return float(value) if "." in value else int(value)
    return value


def shown(value: Any, unit: str | None) -> str:
    if unit == "dollars":
        return f"${value:,}"
    return f"{value}"


def range_rule(column: str, low: Any, high: Any, unit: str | None) -> str:
    if low is not None and high is not None:
        text = f"{column} is between {shown(low, unit)} and {shown(high, unit)}"
    elif low is not None:
        text = f"{column} is at least {shown(low, unit)}"
    else:
        text = f"{column} is at most {shown(high, unit)}"
    return f"{text} ({unit})" if unit and unit != "dollars" else text


def unexpected_rows(where: str) -> dict[str, str]:
    # GX formats the query with `{batch}`; braces of the condition itself are escaped.
    condition = where.replace("{", "{{").replace("}", "}}")
    return {"unexpected_rows_query": f"select * from {{batch}} where {condition}"}


def column_rules(column: dict, is_source: bool, engine: str = "duckdb") -> list[tuple[str, dict, str, str]]:
    name, meta = column["name"], column.get("meta") or {}
    severity = meta.get("severity", "error")
    unit = meta.get("unit")
    rules = []

    def q(identifier: str) -> str:
        return quoted(identifier, engine)

    def add(kind: str, kwargs: dict, rule: str) -> None:
        rules.append((kind, kwargs, severity, rule))

    # A contract's not_null constraint is enforced by the database as the model is built.
    if meta.get("not_null"):
        add("expect_column_values_to_not_be_null", {"column": name}, f"{name} is never null")
    if meta.get("unique"):
        add("expect_column_values_to_be_unique", {"column": name}, f"{name} is unique")
    if "range" in meta:
        low, high = (number(v) for v in meta["range"])
        kwargs = {"column": name, **({"min_value": low} if low is not None else {}),
                  **({"max_value": high} if high is not None else {})}
        add("expect_column_values_to_be_between", kwargs, range_rule(name, low, high, unit))
    if "values" in meta:
        values = [number(v) if isinstance(v, str) and v.isdigit() else v for v in meta["values"]]
        add("expect_column_values_to_be_in_set", {"column": name, "value_set": values},
            f"{name} is one of {', '.join(str(v) for v in values)}")
    if "geoid_width" in meta and not is_source:
        width = meta["geoid_width"]
        add("expect_column_values_to_match_regex", {"column": name, "regex": f"^[0-9]{{{width}}}$"},
            f"{name} is a GEOID of exactly {width} digits")
    if "regex" in meta:
        add("expect_column_values_to_match_regex", {"column": name, "regex": meta["regex"]},
            f"{name} matches {meta['regex']}")
    if "mean" in meta:
        low, high = (number(v) for v in meta["mean"])
        add("expect_column_mean_to_be_between", {"column": name, "min_value": low, "max_value": high},
            f"mean {name} is between {low} and {high}")
    if "interval" in meta:
        lb, ub = meta["interval"]
        add("unexpected_rows_expectation",
            unexpected_rows(f"{q(lb)} > {q(name)} or {q(name)} > {q(ub)}"),
            f"{lb} <= {name} <= {ub}")
    for target in meta.get("references") or []:
        add("unexpected_rows_expectation",
            unexpected_rows(f"{q(name)} not in (select {q(name)} from {target} where {q(name)} is not null)"),
            f"every {name} is in {target}")
    if meta.get("known_county"):
        county = f"left({q(name)}, 5)" if meta["known_county"] is True else meta["known_county"]
        add("unexpected_rows_expectation", unexpected_rows(f"{county} not in {KNOWN_COUNTIES}"),
            f"every {name} lies in a known county")
    if meta.get("known_counties"):
        add("unexpected_rows_expectation",
            unexpected_rows(unknown_counties(meta["known_counties"], engine)),
            f"every county in {name} is a known county")
    return rules


def table_rules(node: dict, schema: str, row_drop_limit: float) -> list[tuple[str, dict, str, str]]:
    meta = node.get("meta") or {}
    rules = []
    if schema in COUNTED:
        rules.append(("expect_table_row_count_to_be_between",
                      {"min_value": {"$PARAMETER": f"published_row_count * {1 - row_drop_limit:g}"}}, "error",
                      f"row count is not down more than {row_drop_limit:.0%} from the published version"))
    keys = meta.get("keys") or []
    if len(keys) == 1:
        rules.append(("expect_column_values_to_be_unique", {"column": keys[0]}, "error",
                      f"primary key {keys[0]} is unique"))
    elif keys:
        rules.append(("expect_compound_columns_to_be_unique", {"column_list": list(keys)}, "error",
                      f"primary key ({', '.join(keys)}) is unique"))
    for row_rule in meta.get("row_rules") or []:
        rules.append(("unexpected_rows_expectation", unexpected_rows(row_rule["where"]),
                      row_rule.get("severity", "error"), row_rule["rule"]))
    return rules


def declared_tables(manifest: dict, engine: str = "duckdb") -> list[Declared]:
    """Every source table and model that declares a rule (and every source and mart), its SQL
    written for the engine that checks it (`engine` for models, DuckDB for raw tables)."""
    limit = float(project_vars()["row_drop_limit"])
    nodes = [(n, "raw", True) for n in manifest["sources"].values()]
    nodes += [(n, n["schema"], False) for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    tables = []
    for node, schema, is_source in nodes:
        rules = table_rules(node, schema, limit)
        for column in (node.get("columns") or {}).values():
            rules += column_rules(column, is_source, check_engine(schema, engine))
        if rules:
            declared_in = node.get("original_file_path") if is_source else (node.get("patch_path") or "").split("://")[-1]
            tables.append(Declared(schema=schema, table=node["name"], description=node.get("description") or "",
                                   file=settings.DBT_PROJECT_DIR / declared_in, rules=tuple(rules)))
    return tables
