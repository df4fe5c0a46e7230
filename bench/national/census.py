"""Census Data API responses for every selected tract, SYNTHETIC, in the live API's JSON form
(a list of lists, header first, every value a string).

One response per request the census source declares, under the file name it reads. The ACS
requests carry the variables of ten ACS tables (one API call may ask for up to 50 variables),
estimate `E` and margin of error `M` each; medians are sometimes the API's annotation code for
"not computable". Counts follow the tract's real population; income, rent and poverty follow
the tract's real mean household income in 2000. Tract names say SYNTHETIC.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.national.geography import read_seed
from orchestration.sources.census import ACS_REQUESTS, DECENNIAL_REQUESTS, ApiRequest

NOT_COMPUTABLE = "-666666666"
NO_MOE = "-222222222"
# (table, variables): total population, children, poverty, income, employment, tenure,
# education, health insurance universe, commuting, rent.
ACS_TABLES = [
    ("B01003", ("B01003_001",)),
    ("B05003", ("B05003_001", "B05003_003", "B05003_014")),
    ("B17001", ("B17001_001", "B17001_002")),
    ("B19013", ("B19013_001",)),
    ("B23025", ("B23025_003", "B23025_005")),
    ("B25003", ("B25003_001", "B25003_003")),
    ("B15003", ("B15003_001", "B15003_017")),
    ("B27001", ("B27001_001",)),
    ("B08301", ("B08301_001", "B08301_010")),
    ("B25064", ("B25064_001",)),
]
MEDIANS = {"B19013_001", "B25064_001"}


def tract_frame(year: int, tracts: list[str]) -> pd.DataFrame:
    """Real population (of the tract vintage the release uses) and mean household income in 2000."""
    centers = "geo_tract_centers_2020" if year >= 2020 else "geo_tract_centers_2010"
    con = duckdb.connect()
    con.register("wanted", pd.DataFrame({"tract": tracts}))
    frame = con.execute(f"""
        with centers as (select GEOID as tract, POPULATION as population from {read_seed(con, centers)}),
        income as (select state || county || tract as tract, hhinc_mean2000 as income
                   from {read_seed(con, 'oi_tract_covariates')}),
        county_income as (select left(tract, 5) as county, median(income) as income from income group by 1)
        select wanted.tract, coalesce(centers.population, 0) as population,
               coalesce(income.income, county_income.income, 60000) as income
        from wanted
        left join centers using (tract)
        left join income using (tract)
        left join county_income on county_income.county = left(wanted.tract, 5)
        order by wanted.tract
    """).df()
    con.close()
    return frame


def acs_values(frame: pd.DataFrame, year: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Estimates per variable (without the E/M suffix)."""
    size = len(frame)
    pop = np.round(frame["population"].to_numpy(float) * rng.uniform(0.93, 1.07, size))
    income = frame["income"].to_numpy(float) * (1.35 if year >= 2020 else 1.2)
    children = np.clip(rng.normal(0.22, 0.05, size), 0.02, 0.45)
    poverty = np.clip(0.15 * (60000 / np.maximum(income, 5000)) ** 1.2 * rng.lognormal(0, 0.2, size), 0.01, 0.7)

    def part(total, share):
        return np.round(total * share)

    labour = part(pop, 0.5)
    occupied = np.round(pop / 2.5)
    workers = part(pop, 0.46)
    return {
        "B01003_001": pop,
        "B05003_001": pop,
        "B05003_003": part(pop, children * 0.51),
        "B05003_014": part(pop, children * 0.49),
        "B17001_001": part(pop, 0.97),
        "B17001_002": part(pop * 0.97, poverty),
        "B19013_001": np.round(income * 0.8 * rng.lognormal(0, 0.1, size), -1),
        "B23025_003": labour,
        "B23025_005": part(labour, np.clip(rng.normal(0.06, 0.03, size), 0, 0.4)),
        "B25003_001": occupied,
        "B25003_003": part(occupied, np.clip(rng.normal(0.35, 0.2, size), 0, 1)),
        "B15003_001": part(pop, 0.67),
        "B15003_017": part(pop * 0.67, np.clip(rng.normal(0.27, 0.06, size), 0, 1)),
        "B27001_001": part(pop, 0.98),
        "B08301_001": workers,
        "B08301_010": part(workers, np.clip(rng.lognormal(np.log(0.03), 0.8, size), 0, 0.8)),
        "B25064_001": np.round(900 * np.sqrt(np.maximum(income, 5000) / 60000) * rng.lognormal(0, 0.1, size)),
    }


def text(values: np.ndarray) -> np.ndarray:
    return np.array([str(int(v)) for v in values], dtype=object)


def response(request: ApiRequest, tracts: list[str], rng: np.random.Generator) -> list[list[str]]:
    frame = tract_frame(request.year, tracts)
    size = len(frame)
    columns: dict[str, np.ndarray] = {}
    if request.dataset.startswith("acs"):
        for name, estimate in acs_values(frame, request.year, rng).items():
            shown = text(estimate)
            moe = text(np.round(np.maximum(estimate, 0) * rng.uniform(0.08, 0.3, size) + 10))
            if name in MEDIANS:
                annotated = (rng.random(size) < 0.02) | (frame["population"].to_numpy() == 0)
                shown[annotated], moe[annotated] = NOT_COMPUTABLE, NO_MOE
            columns[f"{name}E"], columns[f"{name}M"] = shown, moe
    else:
        (variable,) = request.variables
        columns[variable] = text(frame["population"].to_numpy(float))
    header = ["NAME", *columns, "state", "county", "tract"]
    names = [f"Census Tract {int(t[5:]) / 100:g} (SYNTHETIC)" for t in tracts]
    cells = zip(names, *columns.values(), [t[:2] for t in tracts], [t[2:5] for t in tracts], [t[5:] for t in tracts])
    return [header, *[list(row) for row in cells]]


def write_responses(sources: Path, tracts_2010: list[str], tracts_2020: list[str], rng: np.random.Generator) -> list[str]:
    """Every declared request's response under its file name; returns the file names."""
    written = []
    for request in ACS_REQUESTS + DECENNIAL_REQUESTS:
        tracts = tracts_2020 if request.year >= 2020 else tracts_2010
        path = sources / request.bundled_file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(response(request, tracts, rng), separators=(",", ":")))
        written.append(request.bundled_file)
    return written
