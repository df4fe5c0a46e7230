"""`mobility`: the warehouse's outputs from a shell, for analysts and city teams.

    mobility sql "select ..." [--format table|csv|json]
    mobility export --format parquet|csv DIR
    mobility brief PLACE [--lang en|es] [--format html|pdf] [--section NAME ...] [-o PATH]
    mobility site DIR [--city PLACE ...]
    mobility status
    mobility power (--sd SD | --base-rate P) (--effect E | --sample N) [--share-treated ...]

Everything reads the published analysts' file (MOBILITY_HOME/mobility.duckdb), read-only.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

import duckdb

from orchestration.analysts import power, published


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def table(columns: list[str], rows: list[tuple]) -> str:
    """A plain text table; numbers right-aligned, nulls shown as NULL."""
    cells = [["NULL" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows) for i in range(len(columns))]

    def line(values):
        return "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric)).rstrip()

    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells), footer])


def run_sql(args) -> int:
    try:
        with published.locked() as con:
            cursor = con.execute(args.query)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
    except duckdb.Error as error:
        message, refused = published.explain(error)
        print(f"mobility sql: {message}", file=sys.stderr)
        return 2 if refused else 1
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif args.format == "json":
        print(json.dumps([dict(zip(columns, row)) for row in rows], default=str, indent=1))
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
        return args.run(args)
    except (published.NotPublished, LookupError) as error:
        print(f"mobility {args.command}: {error.args[0] if error.args else error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
