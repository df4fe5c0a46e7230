"""An official Opportunity Insights wide tract file (`tract_outcomes_simple.csv` layout), SYNTHETIC.

Columns: `state, county, tract`, then for `kfr` (household income rank, 0-1) and `jail`
(incarceration rate, 0-1), each race x gender: `_p25`, `_p25_se`, `_p75`, `_p75_se` and the
children count `_n`; last `is_synthetic`. Values are drawn around the real bundled data: a
tract's pooled and by-race income ranks (`tract_collapse.csv`, moved to the household-income
level of its county), its kid counts, and its county's official kfr and jail by race and gender
(`county_outcomes_simple.csv`). Each estimate is its tract value plus sampling noise of the
size of its standard error; cells resting on fewer than 20 children are left empty, as
Opportunity Insights suppresses them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.national.geography import read_seed

RACES = ("pooled", "white", "black", "hisp", "asian", "natam", "other")
GENDERS = ("pooled", "female", "male")
MIN_CHILDREN = 20
# Differences from the pooled value where a county publishes none (rank points, jail ratios).
RANK_OFFSET = {"pooled": 0.0, "white": 0.04, "black": -0.1, "hisp": -0.02, "asian": 0.06, "natam": -0.08, "other": -0.03}
JAIL_RATIO = {"pooled": 1.0, "white": 0.6, "black": 2.5, "hisp": 1.2, "asian": 0.3, "natam": 2.0, "other": 1.0}
GENDER_RANK = {"pooled": 0.0, "female": 0.01, "male": -0.01}
GENDER_JAIL = {"pooled": 1.0, "female": 0.12, "male": 1.9}
# Shares of children where the tract file gives no count (national shares, roughly).
OTHER_SHARES = {"asian": 0.03, "natam": 0.01, "other": 0.015}


def anchors(tracts: list[str]) -> pd.DataFrame:
    """One row per tract: its real population, income ranks, kid counts and county estimates."""
    con = duckdb.connect()
    con.register("wanted", pd.DataFrame({"tract": tracts}))
    county_columns = ", ".join(
        f"county.{o}_{r}_{g}_p25 as c_{o}_{r}_{g}"
        for o in ("kfr", "jail") for r in ("pooled", "white", "black", "hisp") for g in GENDERS
    )
    frame = con.execute(f"""
        with county as (select state || county as county_geoid, * from {read_seed(con, 'atlas_county_outcomes')}),
        ranks as (select state || county || tract as tract, * exclude (state, county, tract)
                  from {read_seed(con, 'oi_tract_race_income_rank')}),
        centers as (select GEOID as tract, POPULATION as population from {read_seed(con, 'geo_tract_centers_2010')}),
        county_ranks as (
            select left(tract, 5) as county_geoid, sum(kir_pooled_p25 * kid_pooled_n) / sum(kid_pooled_n) / 100 as kir
            from ranks group by 1
        )
        select wanted.tract, coalesce(centers.population, 0) as population,
               ranks.kir_pooled_p25 / 100 as kir_pooled, ranks.kir_white_p25 / 100 as kir_white,
               ranks.kir_black_p25 / 100 as kir_black,
               ranks.kid_pooled_n, ranks.kid_white_n, ranks.kid_black_n,
               coalesce(county.hisp_pooled_count / nullif(county.pooled_pooled_count, 0), 0.1) as hisp_share,
               county_ranks.kir as county_kir,
               {county_columns}
        from wanted
        left join centers using (tract)
        left join ranks using (tract)
        left join county on county.county_geoid = left(wanted.tract, 5)
        left join county_ranks on county_ranks.county_geoid = left(wanted.tract, 5)
        order by wanted.tract
    """).df()
    con.close()
    return frame


def column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype=float, na_value=np.nan) if name in frame else np.full(len(frame), np.nan)


def counts(a: pd.DataFrame, rng: np.random.Generator) -> dict[tuple[str, str], np.ndarray]:
    size = len(a)
    pooled = np.where(np.isnan(column(a, "kid_pooled_n")), np.round(column(a, "population") * 0.13),
                      column(a, "kid_pooled_n"))
    by_race = {"pooled": pooled,
               "white": np.nan_to_num(column(a, "kid_white_n"), nan=np.round(pooled * 0.6)),
               "black": np.nan_to_num(column(a, "kid_black_n"), nan=np.round(pooled * 0.12))}
    rest = np.maximum(pooled - by_race["white"] - by_race["black"], 0)
    shares = {"hisp": np.clip(column(a, "hisp_share"), 0, 1), **{r: np.full(size, s) for r, s in OTHER_SHARES.items()}}
    total = sum(shares.values())
    for race, share in shares.items():
        by_race[race] = rng.binomial(rest.astype(np.int64), np.clip(share / np.maximum(total, 1e-9), 0, 1))
    result = {}
    for race, n in by_race.items():
        female = rng.binomial(n.astype(np.int64), 0.49)
        result[(race, "pooled")], result[(race, "female")], result[(race, "male")] = n, female, n - female
    return result


def tract_outcomes_frame(tracts: list[str], rng: np.random.Generator) -> pd.DataFrame:
    a = anchors(tracts)
    size = len(a)
    county_kfr = np.nan_to_num(column(a, "c_kfr_pooled_pooled"), nan=0.42)
    # A tract's individual income rank, moved to the household-income level of its county's kfr.
    level = county_kfr - np.nan_to_num(column(a, "county_kir"), nan=county_kfr)
    tract_pooled = np.nan_to_num(column(a, "kir_pooled") + level, nan=county_kfr + rng.normal(0, 0.04, size))
    tract_factor = np.exp(rng.normal(0, 0.5, size))  # a tract's incarceration relative to its county
    n = counts(a, rng)
    # The official file stores the GEOID parts as integers (leading zeros lost), as here.
    frame = {part: np.array([int(t[a:b]) for t in tracts]) for part, a, b in
             (("state", 0, 2), ("county", 2, 5), ("tract", 5, 11))}
    for outcome in ("kfr", "jail"):
        for race in RACES:
            for gender in GENDERS:
                children = n[(race, gender)]
                shown = children >= MIN_CHILDREN
                safe = np.maximum(children, 1)
                if outcome == "kfr":
                    county_gap = column(a, f"c_kfr_{race}_pooled") - county_kfr
                    race_level = tract_pooled + np.nan_to_num(county_gap, nan=RANK_OFFSET[race])
                    if race in ("white", "black"):
                        own = column(a, f"kir_{race}") + level
                        race_level = np.where(np.isnan(own), race_level, own)
                    gender_gap = column(a, f"c_kfr_{race}_{gender}") - column(a, f"c_kfr_{race}_pooled")
                    p25 = np.clip(race_level + np.nan_to_num(gender_gap, nan=GENDER_RANK[gender]), 0.05, 0.95)
                    p75 = np.clip(p25 + rng.normal(0.17, 0.02, size), 0.05, 0.98)
                    se25 = 0.28 / np.sqrt(safe) * rng.uniform(0.8, 1.2, size)
                    se75 = se25 * rng.uniform(1.0, 1.3, size)
                else:
                    county_jail = column(a, f"c_jail_{race}_{gender}")
                    fallback = column(a, "c_jail_pooled_pooled") * JAIL_RATIO[race] * GENDER_JAIL[gender]
                    rate = np.nan_to_num(np.where(np.isnan(county_jail), fallback, county_jail), nan=0.02)
                    p25 = np.clip(np.maximum(rate, 0.001) * tract_factor, 0, 0.6)
                    p75 = p25 * 0.45
                    se25 = np.sqrt(np.maximum(p25 * (1 - p25), 0.005) / safe)
                    se75 = np.sqrt(np.maximum(p75 * (1 - p75), 0.005) / safe)
                digits = 4 if outcome == "kfr" else 5
                prefix = f"{outcome}_{race}_{gender}"
                for pctile, value, se in (("p25", p25, se25), ("p75", p75, se75)):
                    drawn = np.clip(value + rng.normal(0, 1, size) * se, 0, 1)
                    frame[f"{prefix}_{pctile}"] = np.where(shown, np.round(drawn, digits), np.nan)
                    frame[f"{prefix}_{pctile}_se"] = np.where(shown, np.round(se, 6), np.nan)
                frame[f"{prefix}_n"] = children.astype(np.int64)
    frame["is_synthetic"] = True
    return pd.DataFrame(frame)


def write_tract_outcomes(path: Path, tracts: list[str], rng: np.random.Generator) -> int:
    frame = tract_outcomes_frame(tracts, rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.register("frame", frame)
    con.execute(f"copy frame to '{path.as_posix()}' (header, delimiter ',')")
    con.close()
    return len(frame)
