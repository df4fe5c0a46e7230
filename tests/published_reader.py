"""An analyst's process: `python published_reader.py PUBLISHED STOP_FILE REPORT`.

Until STOP_FILE exists it opens the published file read-only, as any analyst's client does, and
reads, each time in one transaction, the version marker (the run id of the latest publication),
the row count the publish recorded for a mart, and that mart's actual row count and checksum.
It keeps a connection for a few reads, then opens a new one (only a new connection sees a new
version). It writes a JSON report (connections, reads, queries, failures, the versions seen in order) and,
as it goes, an empty file `<REPORT stem>.<run id>.seen` when it first sees a version.
"""

import json
import sys
import time
from pathlib import Path

import duckdb

MART = "pilot_monthly_indicators"  # changes when a city uploads pilot data
QUERIES_PER_READ = 3
# Opening the file costs as much CPU as ten reads: eight readers stay a fraction of a 2-core machine.
READS_PER_CONNECTION = 20
PAUSE_SECONDS = 0.1


def read_version(con: duckdb.DuckDBPyConnection) -> dict:
    """The QUERIES_PER_READ queries, in the connection's current transaction."""
    (run_id,) = con.execute("select run_id from audit.publications order by published_at_utc desc limit 1").fetchone()
    (recorded,) = con.execute("select row_count from audit.row_counts where asset_key = ?", [f"marts/{MART}"]).fetchone()
    rows, checksum = con.execute(f"select count(*), bit_xor(hash(m)) from marts.{MART} m").fetchone()
    return {"run_id": run_id, "recorded_rows": recorded, "rows": rows, "checksum": str(checksum)}


def main(published: str, stop: Path, report: Path) -> None:
    connections, reads, failures, versions = 0, 0, [], []
    while not stop.exists():
        try:
            con = duckdb.connect(published, read_only=True)
        except Exception as error:  # every failure is reported, none stops the reader
            failures.append(f"connect: {type(error).__name__}: {error}"[:300])
            time.sleep(PAUSE_SECONDS)
            continue
        connections += 1
        try:
            for _ in range(READS_PER_CONNECTION):
                reads += 1
                try:
                    con.execute("begin transaction")
                    version = read_version(con)
                    con.execute("commit")
                except Exception as error:
                    failures.append(f"read: {type(error).__name__}: {error}"[:300])
                    break  # on a new connection
                if not versions or versions[-1] != version:
                    versions.append(version)
                    report.with_name(f"{report.stem}.{version['run_id']}.seen").touch()
                time.sleep(PAUSE_SECONDS)
        finally:
            con.close()
    report.write_text(json.dumps({"connections": connections, "reads": reads, "queries": reads * QUERIES_PER_READ,
                                  "failures": failures, "versions": versions}))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
