"""Values written into SQL text where DuckDB takes no parameter (file paths in `attach`,
`copy ... to` and table functions): always as a quoted literal, never pasted."""

from pathlib import Path


def text(value: str) -> str:
    """A SQL string literal: quotes doubled, so a `'` in a value or folder name stays text."""
    return "'" + str(value).replace("'", "''") + "'"


def path(file: Path) -> str:
    return text(Path(file).as_posix())


def identifier(name: str) -> str:
    """A DuckDB identifier: double-quoted, quotes inside doubled."""
    return '"' + name.replace('"', '""') + '"'


def csv_columns(relation) -> str:
    """The select list that writes `relation` to CSV as `mobility export` and `mobility sql` do:
    lists and structs as DuckDB writes them, doubles with 15 significant digits. A double holds 15
    (DBL_DIG): every decimal value it can carry keeps its digits, and arithmetic noise such as
    0.05600000000000001 goes. Parquet files keep the doubles whole."""
    return ", ".join(csv_column(identifier(name), kind) for name, kind in zip(relation.columns, relation.types))


def csv_column(column: str, kind) -> str:
    if str(kind) == "DOUBLE":
        return f"printf('%.15g', {column}) as {column}"
    if kind.id in ("list", "array", "struct", "map"):  # as DuckDB's CSV writer renders them, not as Python would
        return f"cast({column} as varchar) as {column}"
    return column
