"""One query for a table's row rules in the pass/fail round.

GX spends about 20 ms of Python on each expectation, several times what DuckDB needs to check
it. Most of a suite's blocking rules are conditions on single rows (ranges, value sets, not
null, uniqueness, SQL row rules): the first round checks them together, as one
`unexpected_rows_expectation` that selects every row breaking any of them. When that round
passes, every rule in it passed. When it fails, the runner validates the whole suite again
rule by rule, so a failure is always reported by the rule that broke (when only a rule checked
on its own fails, such as a warning, the first round is repeated for its counts and examples).

A combined condition may be stricter than GX (it then fails, and the rule-by-rule round
decides), never looser.

The merged query names the table (or the rows the suite reads) itself instead of GX's `{batch}`:
GX hands a table over as `SELECT * FROM t WHERE true`, and DuckDB counted the union of rules
over that 5 times slower than over the table (17 s against 3.5 s for 18 million pilot
outcomes, in every full build). `{batch}` stays once, in an `exists` that changes no result (an
empty batch has no broken rows either way): without it GX prints a warning each time it reads
the rule.
"""

from __future__ import annotations

from numbers import Number
from typing import Any

from orchestration.quality.declared_rules import quoted
from orchestration.quality.suites import Rule, Suite

COMBINED = "unexpected_rows_expectation"
_PLAIN_KWARGS = {"column", "column_list", "min_value", "max_value", "value_set", "unexpected_rows_query"}


def in_query_format(text: str) -> str:
    """`text` as GX's query format reads it back (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def literal(value: Any) -> str | None:
    """A SQL literal, in GX's query format (braces doubled); None for values with no plain literal."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Number):
        return repr(value)
    if isinstance(value, str):
        return in_query_format("'" + value.replace("'", "''") + "'")
    return None


def broken_rows(rule: Rule, engine: str = "duckdb") -> str | None:
    """The query selecting one row per breach of `rule`, for the rules that are plain row
    conditions; None for the others (parameters, `mostly`, table-level rules, warnings)."""
    kwargs = rule.kwargs
    if rule.severity != "error" or set(kwargs) - _PLAIN_KWARGS:
        return None
    column = quoted(kwargs["column"], engine) if isinstance(kwargs.get("column"), str) else None
    if rule.type == "unexpected_rows_expectation":
        return f"select 1 from ({kwargs['unexpected_rows_query']})"
    if column is None:
        if rule.type == "expect_compound_columns_to_be_unique":
            columns = ", ".join(quoted(c, engine) for c in kwargs["column_list"])
            return f"select 1 from {{batch}} group by {columns} having count(*) > 1"
        return None
    if rule.type == "expect_column_values_to_not_be_null":
        return f"select 1 from {{batch}} where {column} is null"
    if rule.type == "expect_column_values_to_be_unique":
        return f"select 1 from {{batch}} where {column} is not null group by {column} having count(*) > 1"
    if rule.type == "expect_column_values_to_be_in_set":
        values = [literal(v) for v in kwargs.get("value_set") or []]
        if not values or None in values:
            return None
        return f"select 1 from {{batch}} where {column} not in ({', '.join(values)})"
    if rule.type == "expect_column_values_to_be_between":
        bounds = [(op, literal(kwargs[key])) for key, op in (("min_value", "<"), ("max_value", ">")) if key in kwargs]
        if not bounds or any(value is None for _, value in bounds):
            return None
        return f"select 1 from {{batch}} where " + " or ".join(f"{column} {op} {value}" for op, value in bounds)
    return None


def relation(suite: Suite) -> str:
    """What the suite's row rules read: the table, or the rows `suite.rows` selects of it."""
    table = f"{quoted(suite.schema)}.{quoted(suite.table)}"
    return table if suite.rows is None else f"(select * from {table} where {suite.rows})"


def combined(suite: Suite, engine: str = "duckdb") -> tuple[Suite, tuple[Rule, ...]]:
    """The suite with its plain row rules merged into one rule, in `engine`'s SQL, and the rules
    merged. A suite with fewer than two such rules comes back as it is."""
    queries = [broken_rows(rule, engine) for rule in suite.rules]
    together = tuple(rule for rule, query in zip(suite.rules, queries) if query)
    if len(together) < 2:
        return suite, ()
    # On Spark the batch is a DataFrame, which may differ from the table: GX's `{batch}` stays.
    batch = "{batch}" if engine == "spark" else in_query_format(relation(suite))
    query = "\nunion all\n".join(q for q in queries if q).replace("{batch}", batch)
    query = f"select * from ({query}) where exists (select 1 from {{batch}})"
    merged = Rule(type=COMBINED, kwargs={"unexpected_rows_query": query}, severity="error",
                  rule=f"{len(together)} row rules, checked in one query: " + "; ".join(r.rule for r in together))
    rest = tuple(rule for rule, query in zip(suite.rules, queries) if not query)
    return Suite(schema=suite.schema, table=suite.table, description=suite.description,
                 rules=(merged, *rest), files=suite.files), together
