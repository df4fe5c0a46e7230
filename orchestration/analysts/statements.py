"""Which statements analysts' SQL (`mobility sql`) runs: queries only, told apart by the statement
type DuckDB's own parser gives each statement, never by what a path or a name looks like.

Everything else is refused before it reaches the connection, with the reason and what to use
instead. The list of refusals in the analysts' guide is tested against this table.
"""

import duckdb

Kind = duckdb.StatementType

READ_ONLY = "the analysts' file is read-only"
NO_FILES = "there is no file access here; `mobility export DIR` writes every mart as Parquet or CSV files"
FIXED = "settings are fixed here (the marts schema is on the search path: `select * from dim_city` works)"

# Statement type -> (what it is, why it is refused and what to do instead). A type missing here
# (one a later DuckDB adds) is refused too, as "this statement".
REFUSED: dict[Kind, tuple[str, str]] = {
    Kind.CREATE: ("CREATE", READ_ONLY),
    Kind.INSERT: ("INSERT", READ_ONLY),
    Kind.UPDATE: ("UPDATE", READ_ONLY),
    Kind.DELETE: ("DELETE", READ_ONLY),
    Kind.MERGE_INTO: ("MERGE INTO", READ_ONLY),
    Kind.DROP: ("DROP", READ_ONLY),
    Kind.ALTER: ("ALTER or COMMENT ON", READ_ONLY),
    Kind.VACUUM: ("VACUUM or ANALYZE", READ_ONLY),
    Kind.COPY: ("COPY", NO_FILES),
    Kind.EXPORT: ("EXPORT DATABASE", NO_FILES),
    Kind.ATTACH: ("ATTACH", "only the published file is open here"),
    Kind.DETACH: ("DETACH", "only the published file is open here"),
    Kind.LOAD: ("LOAD or INSTALL", "no extension is installed or loaded here"),
    Kind.SET: ("SET, RESET, USE or SET VARIABLE", FIXED),
    Kind.PRAGMA: ("PRAGMA, IMPORT or COPY FROM DATABASE", "settings are fixed and files out of reach here; "
                  "read a pragma as a table function: `select * from pragma_table_info('dim_city')`"),
    Kind.CALL: ("CALL or CHECKPOINT", "query a table function with `select * from ...` instead"),
    Kind.TRANSACTION: ("BEGIN, COMMIT or ROLLBACK", "each query runs on its own, read-only"),
    Kind.PREPARE: ("PREPARE", "write the values into the query"),
    Kind.EXECUTE: ("EXECUTE", "write the values into the query"),
}
# SELECT covers FROM-first queries, DESCRIBE, SHOW and SUMMARIZE; DuckDB makes a MULTI of a PIVOT
# whose columns it must find first. A plain EXPLAIN runs nothing; EXPLAIN ANALYZE runs its statement.
QUERIES = {Kind.SELECT, Kind.MULTI, Kind.EXPLAIN}


class Refused(ValueError):
    """A statement that is not a query; its message says why and what to use instead."""


class Empty(ValueError):
    """No statement at all."""


def kind(statement: duckdb.Statement) -> Kind | None:
    try:
        return statement.type
    except ValueError:  # a type newer than this DuckDB's Python enum knows
        return None


def explained(text: str) -> str | None:
    """The statement an EXPLAIN ANALYZE runs (None for a plain EXPLAIN, which runs nothing)."""
    words = [(start, text[start:].split(None, 1)[0].lower().rstrip(";"))
             for start, token in duckdb.tokenize(text) if token != duckdb.token_type.comment]
    if len(words) > 2 and words[1][1] in ("analyze", "analyse"):
        return text[words[2][0]:]
    return None


def refused(statement: duckdb.Statement) -> tuple[str, str] | None:
    """What `statement` is and why it is refused, or None for a query."""
    found = kind(statement)
    if found == Kind.EXPLAIN:
        inner = explained(statement.query)
        hit = next(filter(None, map(refused, duckdb.extract_statements(inner))), None) if inner else None
        return (f"EXPLAIN ANALYZE of {hit[0]}", hit[1]) if hit else None
    if found in QUERIES:
        return None
    return REFUSED.get(found, ("this statement", "only queries run here"))


def queries(text: str) -> list[duckdb.Statement]:
    """The statements of `text`, all of them queries; raises Refused for the first that is not,
    Empty when there is none, and DuckDB's ParserException for text that does not parse."""
    found = duckdb.extract_statements(text)
    if not found:
        raise Empty("the query is empty: give one, e.g. mobility sql \"select * from dim_city\"")
    for statement in found:
        hit = refused(statement)
        if hit:
            raise Refused("refused ({}): {}".format(*hit))
    return found
