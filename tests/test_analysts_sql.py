"""`mobility sql` keeps the analysts' guide's promises (docs/analysts.md): every statement the
guide lists as refused is refused, with the `mobility.duckdb.tmp/` folder another DuckDB client
leaves beside the file present and left empty; queries stop at --timeout and at Ctrl-C; JSON is
strict; mistakes keep DuckDB's hints in one line; a reader that stops early gets no traceback."""

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from orchestration.analysts import published

from test_cli import MOBILITY, mobility

GUIDE = Path(__file__).parents[1] / "docs" / "analysts.md"
# Minutes of work for DuckDB (10^12 pairs, no join key to hash), and it returns no rows.
SLOW = "select count(*) from range(1000000) a, range(1000000) b where a.range + b.range = -1"


def documented_refusals() -> list[tuple[str, str]]:
    """(what, example) for every example in the guide's table of refused statements."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Refused |"))
    found = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        what, examples, _ = (cell.strip() for cell in line.strip().strip("|").split(" | "))
        found += [(what, example) for example in re.findall(r"`([^`]+)`", examples)]
    return found


@pytest.fixture(scope="module")
def spill_folder(built_warehouse) -> Path:
    """The folder DuckDB clients that spill to disk create beside the analysts' file."""
    folder = published.path().with_name(published.path().name + ".tmp")
    folder.mkdir(exist_ok=True)
    return folder


def test_the_guide_names_every_kind_of_refusal():
    refusals = documented_refusals()
    assert len(refusals) >= 30
    for word in ("COPY", "EXPORT DATABASE", "ATTACH", "LOAD or INSTALL", "SET, RESET, USE or SET VARIABLE",
                 "PRAGMA, IMPORT or COPY FROM DATABASE", "CREATE", "INSERT", "UPDATE", "DELETE", "DROP"):
        assert word in {what for what, _ in refusals}


@pytest.mark.parametrize("what, statement", documented_refusals())
def test_every_refusal_the_guide_names_is_refused(spill_folder, what, statement):
    done = mobility("sql", statement.replace("warehouse/", f"{spill_folder.parent}/"))
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    expected = what.split(" (")[0] if what.startswith("EXPLAIN ANALYZE") else what
    assert done.stderr.startswith(f"mobility sql: refused ({expected}): ") and done.stderr.count("\n") == 1
    assert list(spill_folder.iterdir()) == []


def test_queries_spill_to_a_folder_of_their_own_within_a_memory_limit(spill_folder, tmp_path):
    done = subprocess.run([MOBILITY, "sql", "select current_setting('temp_directory') as spill, "
                           "current_setting('memory_limit') as memory, count(*) as cities from dim_city",
                           "--format", "json"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    [row] = json.loads(done.stdout)
    assert Path(row["spill"]).parent == tmp_path and Path(row["spill"]) != spill_folder
    assert not Path(row["spill"]).exists()  # removed with the connection
    assert (row["memory"], row["cities"]) == ("4.0 GiB", 9)


def test_a_query_past_its_timeout_is_stopped_in_one_line(built_warehouse):
    done = mobility("sql", SLOW, "--timeout", "1")
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == ("mobility sql: stopped after 1 seconds (--timeout 1); narrow the query, "
                           "or give it more time with --timeout\n")


def test_ctrl_c_stops_a_query_in_one_line(built_warehouse, tmp_path):
    # A test runner's worker may ignore SIGINT, and a child inherits that: the command gets it as a shell gives it.
    running = subprocess.Popen([MOBILITY, "sql", SLOW], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(tmp_path)},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # The query runs once its private spill folder exists.
    while not list(tmp_path.glob("mobility-sql-*")) and running.poll() is None:
        time.sleep(0.1)
    time.sleep(1)
    running.send_signal(signal.SIGINT)
    out, err = running.communicate(timeout=60)
    assert (running.returncode, out, err) == (130, "", "mobility sql: stopped (Ctrl-C)\n")


def test_a_reader_that_stops_early_gets_no_traceback(built_warehouse):
    # 200,000 lines are more than a pipe holds, so the write after `head` exits fails.
    done = subprocess.run(f"'{MOBILITY}' sql 'select range from range(200000)' --format csv | head -1",
                          shell=True, capture_output=True, text=True, timeout=120)
    assert (done.stdout, done.stderr) == ("range\n", "")


def test_json_is_strict_without_nan_or_infinity(built_warehouse):
    done = mobility("sql", "select 'nan'::double as x, 'inf'::double as y, [1.5, '-inf'::double] as l, "
                    "{'a': 'nan'::double} as s, 0.25 as q", "--format", "json")

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    assert json.loads(done.stdout, parse_constant=refuse) == [{"x": None, "y": None, "l": [1.5, None],
                                                               "s": {"a": None}, "q": 0.25}]


@pytest.mark.parametrize("statement, said", [
    ("select * from dim_cty", 'Catalog Error: Table with name dim_cty does not exist! Did you mean "dim_city"?'),
    ("select * from main.dim_city", 'Did you mean "mobility.marts.dim_city"?'),
    ("select citty from dim_city", 'Binder Error: Referenced column "citty" not found in FROM clause! '
                                   'Candidate bindings: "city_name"'),
])
def test_mistakes_keep_duckdbs_hint_in_one_line(built_warehouse, statement, said):
    done = mobility("sql", statement)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert said in done.stderr


def test_marts_resolve_without_their_schema_and_the_last_statement_answers(built_warehouse):
    done = mobility("sql", "select 1; select count(*) as cities from dim_city", "--format", "csv")
    assert done.stdout == "cities\n9\n"


@pytest.mark.parametrize("statement", ["", "  ;  ", "-- nothing but a comment"])
def test_an_empty_statement_gets_one_line(built_warehouse, statement):
    done = mobility("sql", statement)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == 'mobility sql: the query is empty: give one, e.g. mobility sql "select * from dim_city"\n'


def test_csv_numbers_carry_no_float_noise(built_warehouse):
    done = mobility("sql", "select 0.07::double - 0.014::double as share, 1 / 3 as third, 67826.0::double as count",
                    "--format", "csv")
    assert 0.07 - 0.014 == 0.05600000000000001  # the noise the double holds
    assert done.stdout == "share,third,count\n0.056,0.333333333333333,67826\n"
