"""`mobility`: the warehouse's outputs from a shell, for analysts and city teams.

    mobility sql "select ..." [--format table|csv|json] [--timeout SECONDS]
    mobility export --format parquet|csv DIR
    mobility brief PLACE [--lang en|es] [--format html|pdf] [--section NAME ...] [-o PATH]
    mobility site DIR [--city PLACE ...]
    mobility status
    mobility power (--sd SD | --base-rate P) (--effect E | --sample N) [--share-treated ...]

Everything reads the published analysts' file (MOBILITY_HOME/mobility.duckdb), read-only;
`power` reads nothing: it plans a pilot's sample.
"""

import argparse
import csv
import json
import math
import os
import signal
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Callable, TypeVar

import duckdb

from orchestration.analysts import power, published, statements
from orchestration.files import sql

TIMEOUT_SECONDS = 300
T = TypeVar("T")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cell(value) -> str:
    if value is None:
        return "NULL"
    return format(value, ".15g") if isinstance(value, float) else str(value)


def json_value(value):
    """JSON has no NaN or Infinity: they become null, also inside lists and structs. Decimals
    (`select 0.25`) are numbers too, as JSON readers take them."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


def table(columns: list[str], rows: list[tuple]) -> str:
    """A plain text table; numbers right-aligned, doubles to 15 significant digits, nulls shown as NULL."""
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows) for i in range(len(columns))]

    def line(values):
        return "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric)).rstrip()

    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells), footer])


def query(con: duckdb.DuckDBPyConnection, found: list, fmt: str) -> tuple[list[str], list[tuple]]:
    """Runs the statements; the last one's columns and rows (as text for CSV, written by DuckDB)."""
    for statement in found[:-1]:
        con.execute(statement).fetchall()  # DuckDB runs the next statement only once this one is read
    result = con.sql(found[-1])
    if result is None:
        return [], []
    if fmt == "csv":
        result = result.project(sql.csv_columns(result))
    return result.columns, result.fetchall()


class TimedOut(Exception):
    """The query ran past --timeout and was stopped."""


def within(con: duckdb.DuckDBPyConnection, work: Callable[[], T], seconds: float) -> T:
    """`work()` on `con`, stopped (con.interrupt) after `seconds` or at Ctrl-C. It runs in a thread
    of its own: DuckDB holds the thread that runs a query until it ends, so the main thread stays
    free to watch the clock and receive Ctrl-C (the worker blocks SIGINT, so it goes there)."""
    outcome: dict = {}
    done = threading.Event()

    def run() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the main thread
            outcome["error"] = error
        finally:
            done.set()

    deadline = time.monotonic() + seconds
    threading.Thread(target=run, daemon=True).start()
    try:
        while not done.wait(0.1) and time.monotonic() < deadline:
            pass
    finally:  # done, the deadline or Ctrl-C
        if not done.is_set():
            con.interrupt()
            done.wait()
    if "value" in outcome:
        return outcome["value"]
    if isinstance(outcome["error"], duckdb.InterruptException):
        raise TimedOut
    raise outcome["error"]


def run_sql(args) -> int:
    try:
        found = statements.queries(args.query)
        with published.locked() as con:
            columns, rows = within(con, lambda: query(con, found, args.format), args.timeout)
    except (statements.Refused, statements.Empty) as error:
        print(f"mobility sql: {error}", file=sys.stderr)
        return 2 if isinstance(error, statements.Refused) else 1
    except TimedOut:
        print(f"mobility sql: stopped after {args.timeout:g} seconds (--timeout {args.timeout:g}); "
              "narrow the query, or give it more time with --timeout", file=sys.stderr)
        return 3
    except duckdb.Error as error:
        message, refused = published.explain(error)
        print(f"mobility sql: {message}", file=sys.stderr)
        return 2 if refused else 1
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif args.format == "json":
        records = [dict(zip(columns, json_value(row))) for row in rows]
        print(json.dumps(records, default=str, indent=1, allow_nan=False))
    else:
        print(table(columns, rows))
    return 0


def run_export(args) -> int:
    from orchestration.analysts.export import export

    written = export(Path(args.directory), args.format, on_step=progress)
    print(f"{len(written)} files in {Path(args.directory).resolve()}")
    return 0


def run_brief(args) -> int:
    from orchestration.analysts.brief import write_brief

    target = write_brief(args.city, args.format, Path(args.output) if args.output else None,
                         sections=args.section, on_step=progress, lang=args.lang)
    print(target)
    return 0


def run_site(args) -> int:
    from orchestration.analysts.brief.site import write_site

    written = write_site(Path(args.directory), args.city, on_step=progress)
    print(f"{len(written)} pages in {Path(args.directory).resolve()}")
    return 0


def run_status(args) -> int:
    from orchestration.analysts.status import report

    print(report())
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="mobility", description=__doc__.split("\n\n")[0])
    commands = main.add_subparsers(dest="command", required=True)

    sql = commands.add_parser("sql", help="run read-only SQL on the published marts")
    sql.add_argument("query")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, metavar="SECONDS",
                     help=f"stop the query after this long (default {TIMEOUT_SECONDS})")
    sql.set_defaults(run=run_sql)

    export = commands.add_parser("export", help="every mart, a data dictionary and Urban-style files")
    export.add_argument("directory")
    export.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    export.set_defaults(run=run_export)

    brief = commands.add_parser("brief", help="a city brief for leaders: one self-contained HTML file (or PDF)")
    brief.add_argument("city", help="place name (e.g. Tulsa, 'Springfield, IL') or 7-digit place GEOID")
    brief.add_argument("--lang", choices=["en", "es"], default="en", help="language of the brief")
    brief.add_argument("--format", choices=["html", "pdf"], default="html")
    brief.add_argument("--section", action="append", help="only this section (repeatable)")
    brief.add_argument("-o", "--output", help="file to write (default: ./brief_<city>.<format>)")
    brief.set_defaults(run=run_brief)

    site = commands.add_parser("site", help="an offline static site: every registry city's brief (English and "
                                           "Spanish), an index and a What works page")
    site.add_argument("directory")
    site.add_argument("--city", action="append", help="one more place (name or GEOID) beside the registry's cities")
    site.set_defaults(run=run_site)

    status = commands.add_parser("status", help="publication, checks, freshness and pilot uploads")
    status.set_defaults(run=run_status)

    power.add_parser(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        done = args.run(args)
        sys.stdout.flush()
        return done
    except (published.NotPublished, LookupError) as error:
        print(f"mobility {args.command}: {error.args[0] if error.args else error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"mobility {args.command}: stopped (Ctrl-C)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`| head -1`): the rest is not wanted. Python would report the
        # failed flush of stdout at exit, so stdout goes to /dev/null first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
