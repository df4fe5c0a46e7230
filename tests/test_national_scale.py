"""`bench/run --scale 0.01` as a smoke run (one round, no growth; nothing is timed here), and the
published city standard errors against a hand computation from the generated official file."""

import csv
import math
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import settings

LINE = re.compile(r"scale=0\.01 build_s=(?P<build>[\d.]+) floor_s=(?P<floor>[\d.]+) ratio=(?P<ratio>[\d.]+) "
                  r"checks_share=(?P<checks>[\d.]+) incremental_share=(?P<incremental>[\d.]+) "
                  r"peak_rss_mib=(?P<peak>\d+) query_ms=(?P<query>[\d.]+)")
CINCINNATI = "3915000"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scale_run(tmp_path_factory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("scale") / "home"
    done = subprocess.run([sys.executable, "bench/run", "--scale", "0.01", "--rounds", "1", "--growth", "none",
                           "--home", str(home)], cwd=settings.REPO_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return home, done.stdout


def test_scale_run_prints_its_line_with_sane_figures(scale_run):
    _, output = scale_run
    last = output.strip().splitlines()[-1]
    figures = LINE.fullmatch(last)
    assert figures, last
    build, floor = float(figures["build"]), float(figures["floor"])
    assert build > 0 and floor > 0
    assert float(figures["ratio"]) == pytest.approx(build / floor, rel=0.05)
    assert 0 < float(figures["checks"]) < 1 and 0 < float(figures["incremental"]) < 10
    assert 100 < int(figures["peak"]) < 24 * 1024 and float(figures["query"]) > 0
    assert "analyst queries on the published file" in output and "refresh of 3915000" in output


def test_scale_run_published_every_city_and_the_refresh(scale_run):
    home, _ = scale_run
    con = duckdb.connect(str(home / "mobility.duckdb"), read_only=True)
    try:
        # First build, the timed build and the refresh each published.
        assert con.execute("select count(*) from audit.publications").fetchone()[0] == 3
        assert con.execute("select count(*), bool_and(is_synthetic) from marts.what_works").fetchone() == (10, True)
        # Services of December 2024 come only with the refresh upload.
        served = con.execute("select max(month) from marts.pilot_monthly_indicators where city_geoid = ? "
                             "and count_services is not null", [CINCINNATI]).fetchone()[0]
    finally:
        con.close()
    assert str(served) == "2024-12-01"


def hand_computed(home: Path, outcome: str, race: str) -> tuple[float, float, int]:
    """Estimate, se and children of Cincinnati at p25 from the generated wide file, by the formula."""
    from bench.national.geography import read_seed

    con = duckdb.connect()
    tracts = {t for (t,) in con.execute(f"select TRACTID from {read_seed(con, 'geo_tract_place_2010')} "
                                        "where left(TRACTID, 2) || PLACEID = ?", [CINCINNATI]).fetchall()}
    con.close()
    cells = []
    with (home / "inputs" / "synthetic_tract_outcomes_simple.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            tract = f"{int(row['state']):02d}{int(row['county']):03d}{int(row['tract']):06d}"
            prefix = f"{outcome}_{race}_pooled"
            if tract in tracts and row[f"{prefix}_p25"]:
                cells.append((float(row[f"{prefix}_n"]), float(row[f"{prefix}_p25"]), float(row[f"{prefix}_p25_se"])))
    weight = sum(w for w, _, _ in cells)
    estimate = sum(w * e for w, e, _ in cells) / weight
    se = math.sqrt(sum((w * s) ** 2 for w, _, s in cells)) / weight
    return estimate, se, int(weight)


@pytest.mark.parametrize(("outcome", "race"), [("kfr", "black"), ("kfr", "pooled"), ("jail", "white")])
def test_published_city_se_is_the_hand_computed_propagation(scale_run, outcome, race):
    home, _ = scale_run
    estimate, se, children = hand_computed(home, outcome, race)
    con = duckdb.connect(str(home / "mobility.duckdb"), read_only=True)
    try:
        row = con.execute("select estimate, se, lb, ub, count_children from marts.city_mobility where city_geoid = ? "
                          "and outcome = ? and race = ? and gender = 'pooled' and parent_pctile = 25",
                          [CINCINNATI, outcome, race]).fetchone()
    finally:
        con.close()
    assert row[0] == pytest.approx(estimate, rel=1e-12) and row[1] == pytest.approx(se, rel=1e-12)
    assert (row[2], row[3]) == pytest.approx((estimate - 1.96 * se, estimate + 1.96 * se), rel=1e-12)
    assert row[4] == children
