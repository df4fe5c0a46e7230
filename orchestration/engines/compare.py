"""Whether two engines built the same mart: the same rows, numbers within 1e-9 relative.

Rows are matched after sorting both sides by every column, the non-float columns first and
floats rounded to 9 significant digits; numbers must agree within 1e-9 relative (1e-12 absolute
near zero), everything else exactly. `tools/compare_engines.py` and tests/test_spark_engine.py
compare Spark's marts with DuckDB's through it.
"""

import datetime
import decimal
import math

REL_TOL = 1e-9
ABS_TOL = 1e-12


def normalised(value):
    """One comparable Python value per cell, whichever engine and driver produced it."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return float("nan")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return tuple(normalised(v) for v in value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def sort_key(row, float_columns):
    """Rows in one order on both sides, whatever order the engine returned them in; floats
    rounded so that last-digit differences do not reorder rows."""
    def part(index, value):
        if value is None:
            return (0, "")
        if index in float_columns:
            return (1, float(f"{value:.9g}") if not math.isnan(value) else math.inf)
        return (1, value)

    others = [part(i, v) for i, v in enumerate(row) if i not in float_columns]
    floats = [part(i, v) for i, v in enumerate(row) if i in float_columns]
    return (others, floats)


def equal(a, b) -> bool:
    """Cells agree: numbers within REL_TOL (engines sum floats in different orders), else exactly."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, bool) or isinstance(b, bool):
            return a == b
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b


def compare(name: str, duck_columns, duck_rows, spark_columns, spark_rows) -> str:
    """"match", or what differs between the two builds of mart `name` (columns, rows or cells)."""
    if set(duck_columns) != set(spark_columns):
        return (f"columns differ: only DuckDB {sorted(set(duck_columns) - set(spark_columns))}, "
                f"only Spark {sorted(set(spark_columns) - set(duck_columns))}")
    order = [spark_columns.index(c) for c in duck_columns]
    spark_rows = [tuple(row[i] for i in order) for row in spark_rows]
    if len(duck_rows) != len(spark_rows):
        return f"rows differ: DuckDB {len(duck_rows)}, Spark {len(spark_rows)}"
    float_columns = {i for i, c in enumerate(duck_columns)
                     if any(isinstance(r[i], float) for r in duck_rows) or any(isinstance(r[i], float) for r in spark_rows)}
    duck_sorted = sorted(duck_rows, key=lambda r: sort_key(r, float_columns))
    spark_sorted = sorted(spark_rows, key=lambda r: sort_key(r, float_columns))
    mismatches: dict[str, list] = {}
    for d, s in zip(duck_sorted, spark_sorted):
        for i, column in enumerate(duck_columns):
            if not equal(d[i], s[i]):
                mismatches.setdefault(column, []).append((d[i], s[i]))
    if not mismatches:
        return "match"
    return "; ".join(f"{column}: {len(pairs)} rows differ, e.g. DuckDB {pairs[0][0]!r} vs Spark {pairs[0][1]!r}"
                     for column, pairs in mismatches.items())


def fetched(cursor) -> tuple[list[str], list[tuple]]:
    """A DuckDB result's column names and its rows, every cell normalised."""
    columns = [d[0] for d in cursor.description]
    return columns, [tuple(normalised(v) for v in row) for row in cursor.fetchall()]
