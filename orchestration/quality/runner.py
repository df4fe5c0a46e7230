"""Running one suite against one table of the build file with GX's SQL data source on DuckDB."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from orchestration import settings
from orchestration.engines.engine import Engine, current
from orchestration.quality.combined import combined
from orchestration.quality.gx_duckdb import duckdb_source
from orchestration.quality.suites import Suite

SAMPLE_SIZE = 5
ROW_COLUMNS = 8
# Most suites pass: a pass/fail answer, with the row rules in one query (see `combined`), is all
# they need. A suite with a failure is validated again rule by rule, for counts and examples
# (that result is the one Data Docs show).
PASS_FAIL = {"result_format": "BOOLEAN_ONLY"}
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}


@dataclass(frozen=True)
class Outcome:
    """One expectation's result, in the terms the UI and tests use."""

    type: str
    column: str | None
    rule: str
    severity: str
    success: bool
    observed: Any = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    sample: list = field(default_factory=list)
    error: str | None = None
    rows: list = field(default_factory=list)  # a few whole unexpected rows
    query: str = ""  # for SQL rules

    def summary(self) -> str:
        where = f"column {self.column}: " if self.column else ""
        text = f"[{self.severity}] {where}{self.rule} ({self.type})"
        if self.error:
            return f"{text}: could not be evaluated: {self.error}"
        if self.unexpected_count is not None:
            text += f": {self.unexpected_count:,} unexpected"
        elif self.observed is not None:
            text += f": observed {self.observed}"
        if self.sample:
            text += f", e.g. {self.sample[:3]}"
        return text


@dataclass(frozen=True)
class SuiteRun:
    suite: Suite
    outcomes: list[Outcome]
    result: Any  # the GX ExpectationSuiteValidationResult, for Data Docs
    source_file: str | None = None  # for a raw table: the file(s) it was loaded from

    def failed(self, severity: str) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and o.severity == severity]

    @property
    def blocking(self) -> bool:
        return bool(self.failed("error"))


def quiet_gx() -> None:
    # GX logs a warning per metric it cannot batch; the check metadata already says what failed.
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def validate(suite: Suite, db_path: Path, parameters: dict[str, Any], context=None) -> SuiteRun:
    """Validate `suite` against `<schema>.<table>` in `db_path` (opened read-only, closed after)."""
    return validate_many([(suite, parameters)], db_path, context)[0]


def validate_many(suites: list[tuple[Suite, dict[str, Any]]], db_path: Path, context=None) -> list[SuiteRun]:
    """Validate several suites, each with its expectation parameters, through one GX data source
    (one read-only engine, disposed at the end): a data source per suite would cost more than
    many of the validations themselves."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    quiet_gx()
    context = context or gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # Fixed names: the validation definitions stored for Data Docs refer to source and asset by name.
    with duckdb_source(context, "build", db_path) as source:
        runs = []
        for suite, parameters in suites:
            table = source.add_table_asset(suite.name, table_name=suite.table, schema_name=suite.schema)
            whole = table.add_batch_definition_whole_table("whole_table")
            if suite.rows is None:
                runs.append(validate_batch(context, whole, suite, parameters, suite.name))
                continue
            on_table = tuple(r for r in suite.rules if r.type.startswith("expect_table_"))
            on_rows = tuple(r for r in suite.rules if r not in on_table)
            name = f"{suite.name}.changed_rows"  # one name whatever the rows: Data Docs keep the latest
            rows = source.add_query_asset(name, query=f'select * from "{suite.schema}"."{suite.table}" where {suite.rows}')
            parts = [validate_batch(context, batch, replace(suite, rules=rules), parameters, part_name)
                     for batch, rules, part_name in ((whole, on_table, suite.name),
                                                     (rows.add_batch_definition_whole_table("rows"), on_rows, name))
                     if rules]
            runs.append(SuiteRun(suite=suite, outcomes=[o for part in parts for o in part.outcomes], result=parts[-1].result))
    # Example rows come from a connection of their own, once GX's engine has let go of the file.
    return [replace(run, outcomes=with_rows(run.outcomes, run.suite, db_path))
            if any(not o.success and not o.error for o in run.outcomes) else run for run in runs]


def validate_batch(context, batch, suite: Suite, parameters: dict[str, Any], name: str,
                   batch_parameters: dict[str, Any] | None = None, engine: Engine | None = None) -> SuiteRun:
    """One suite on one batch: pass/fail first, rule by rule only where that failed.
    `batch_parameters` carry a DataFrame batch; `engine` holds the batch (by default the one
    that holds the suite's table)."""
    import great_expectations as gx

    def run(suite: Suite, result_format: dict):
        gx_suite = suite.gx_suite()
        gx_suite.name = name
        gx_suite = context.suites.add_or_update(gx_suite)
        definition = context.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
        return definition.run(batch_parameters=batch_parameters, expectation_parameters=parameters,
                              result_format=result_format)

    quick, together = combined(suite, engine)
    result = run(quick, PASS_FAIL)
    merged_met = all(r.success for r in result.results if together and is_combined(r, quick))
    if not merged_met:  # a row rule broke: which one, rule by rule
        result = run(suite, RESULT_FORMAT)
        return SuiteRun(suite=suite, outcomes=[outcome(r) for r in result.results], result=result)
    if not result.success:  # only rules checked on their own failed: their counts and examples
        result = run(quick, RESULT_FORMAT)
    met = [Outcome(type=r.type, column=rule_column(r.kwargs), rule=r.rule, severity=r.severity, success=True)
           for r in together]
    others = [outcome(r) for r in result.results if not (together and is_combined(r, quick))]
    return SuiteRun(suite=suite, outcomes=met + others, result=result)


def validate_frames(suites: list[tuple[Suite, dict[str, Any], Any]], context=None,
                    engine: Engine | None = None) -> list[SuiteRun]:
    """Validate each suite against its Spark DataFrame through GX's Spark data source, in this
    process's Spark session (GX's `getOrCreate()` finds it): on Spark the marts are checked in
    the run's own process, since a second JVM could not open Derby's embedded metastore.
    `engine` holds the frames (MOBILITY_ENGINE's by default)."""
    engine = engine or current()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    quiet_gx()
    context = context or gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_spark(engine.name)
    runs = []
    for suite, parameters, frame in suites:
        batch = dataframe_batch(source, suite.name)
        runs.append(validate_batch(context, batch, suite, parameters, suite.name, {"dataframe": frame}, engine))
    return runs


def dataframe_batch(source, name: str):
    """The whole-DataFrame batch of the asset `name`, made on first use: the DataFrame itself
    comes with each validation, so one table may be validated in several versions."""
    try:
        return source.get_asset(name).get_batch_definition("whole_dataframe")
    except LookupError:
        return source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole_dataframe")


def is_combined(result, quick: Suite) -> bool:
    """Whether `result` is that of the rule `combined` merged the others into (always the first)."""
    return result.expectation_config.kwargs.get("unexpected_rows_query") == quick.rules[0].kwargs["unexpected_rows_query"]


def with_rows(outcomes: list[Outcome], suite: Suite, db_path: Path) -> list[Outcome]:
    """Add a few whole rows to each failed expectation, so the UI shows more than values."""
    table = f'"{suite.schema}"."{suite.table}"'
    con = duckdb.connect(str(db_path), read_only=True, config=settings.duckdb_config())
    try:
        return [replace(o, rows=unexpected_rows(con, table, o)) if not o.success and not o.error else o
                for o in outcomes]
    finally:
        con.close()


def unexpected_rows(con, table: str, o: Outcome) -> list:
    if o.type == "unexpected_rows_expectation":
        query = o.query.replace("{batch}", table)
        sql, params = f"select * from ({query}) limit {SAMPLE_SIZE}", []
    elif o.type == "expect_column_values_to_not_be_null" and o.column:
        sql, params = f'select * from {table} where "{o.column}" is null limit {SAMPLE_SIZE}', []
    elif o.column and "," not in o.column and o.sample:
        sql = f'select * from {table} where "{o.column}" in (select unnest(?)) limit {SAMPLE_SIZE}'
        params = [o.sample]
    else:
        return []
    try:
        cursor = con.execute(sql, params)
    except duckdb.Error:
        return []  # the values shown already identify the problem
    names = [d[0] for d in cursor.description]
    # Wide tables: the first columns (keys) and the column under test are enough to find the row.
    shown = [n for i, n in enumerate(names) if i < ROW_COLUMNS or n == o.column]
    return [plain({n: v for n, v in zip(names, row) if n in shown}) for row in cursor.fetchall()]


def outcome(result) -> Outcome:
    config = result.expectation_config
    meta = config.meta or {}
    details = result.result or {}
    kwargs = config.kwargs
    column = rule_column(kwargs)
    error = exception_message(result.exception_info or {})
    sample = details.get("partial_unexpected_list") or []
    if config.type == "unexpected_rows_expectation":
        sample = (details.get("details") or {}).get("unexpected_rows") or []
    return Outcome(
        type=config.type,
        column=column,
        rule=meta.get("rule", config.type),
        severity=meta.get("severity", "error"),
        success=bool(result.success) and error is None,
        observed=details.get("observed_value"),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        sample=[plain(v) for v in sample[:SAMPLE_SIZE]],
        error=error,
        query=kwargs.get("unexpected_rows_query", "") if isinstance(kwargs.get("unexpected_rows_query"), str) else "",
    )


def rule_column(kwargs: dict) -> str | None:
    return kwargs.get("column") or ", ".join(kwargs.get("column_list") or kwargs.get("column_set") or []) or None


def exception_message(info: dict) -> str | None:
    """GX reports an exception either directly or per metric it could not compute."""
    if info.get("raised_exception"):
        return first_line(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return first_line(value.get("exception_message"))
    return None


def first_line(message: Any) -> str:
    text = str(message or "unknown error").strip()
    return text.splitlines()[0][:500] if text else "unknown error"


def plain(value: Any) -> Any:
    """JSON-friendly copy of an unexpected value or row."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
