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
