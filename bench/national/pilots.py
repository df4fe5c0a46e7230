"""SYNTHETIC pilots for the selected cities: the registry rows, and each city's uploads in the
pilot data contract's CSV form (`seeds/pilots/contract.json`).

Each city runs one of the nine bundled pilot designs (its models in
`orchestration.pilots.synthetic`) over 24 months, 2023-01 to 2024-12: enrolment ramps up
over four months then stays steady, the main outcome is measured every month after enrolment
until exit (7% of measurements missing at random), the other outcomes once at their
follow-up, and the treatment arm receives services. Every draw of an outcome is independent
given the arm, so the true effects are those of the bundled models (`manifest.json`).

A city's uploads: `participants/services/outcomes_2023-01_2024-11.csv`, the history, and
`..._2024-12.csv`, the last month, which `bench/run` drops on its own to time a refresh.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.national.geography import City
from orchestration import settings
from orchestration.pilots import synthetic

START = np.datetime64("2023-01", "M")
MONTHS = 24
END = (START + MONTHS).astype("datetime64[D]") - 1  # 2024-12-31
LAST_MONTH = (START + MONTHS - 1).astype("datetime64[D]")  # 2024-12-01: the refresh month starts here
HISTORY = "2023-01_2024-11"
REFRESH = "2024-12"
MISSING = 0.07
TEMPLATES = sorted(synthetic.PILOTS)


@dataclass(frozen=True)
class Pilot:
    pilot_id: str
    template: str  # the bundled pilot whose design and models it follows
    city: City


def bundled_rows(name: str) -> list[dict[str, str]]:
    with (settings.SEEDS_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def assign(cities: list[City]) -> list[Pilot]:
    """The registry's cities keep their own pilot design; the others take the nine in turn."""
    own = {r["city_geoid"]: r["pilot_id"] for r in bundled_rows("pilots/programs.csv")}
    return [Pilot(own[c.geoid], own[c.geoid], c) if c.geoid in own
            else Pilot(f"{TEMPLATES[i % len(TEMPLATES)]}_{c.geoid}", TEMPLATES[i % len(TEMPLATES)], c)
            for i, c in enumerate(cities)]


def write_registry(sources: Path, pilots: list[Pilot]) -> None:
    """city_registry.csv, pilots/programs.csv and pilots/outcome_definitions.csv for the pilots."""
    registry = {r["city_geoid"]: r for r in bundled_rows("city_registry.csv")}
    programs = {r["pilot_id"]: r for r in bundled_rows("pilots/programs.csv")}
    definitions = bundled_rows("pilots/outcome_definitions.csv")
    cities, program_rows, definition_rows = [], [], []
    for pilot in pilots:
        template, city = programs[pilot.template], pilot.city
        counties = set(city.counties) | set(registry.get(city.geoid, {}).get("county_geoids", "").split(";")) - {""}
        name = f"{template['pilot_name']} (SYNTHETIC)"
        cities.append({"city_geoid": city.geoid, "city_name": registry.get(city.geoid, {}).get("city_name", city.name),
                       "state_abbr": city.state_abbr, "state_fips": city.geoid[:2],
                       "county_geoids": ";".join(sorted(counties)), "pilot_topic": template["topic"], "pilot_name": name})
        program_rows.append({**template, "pilot_id": pilot.pilot_id, "city_geoid": city.geoid, "pilot_name": name,
                             "start_date": str(START.astype("datetime64[D]")), "end_date": str(END)})
        definition_rows += [{**d, "pilot_id": pilot.pilot_id} for d in definitions if d["pilot_id"] == pilot.template]
    for name, rows in (("city_registry.csv", cities), ("pilots/programs.csv", program_rows),
                       ("pilots/outcome_definitions.csv", definition_rows)):
        path = sources / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows).to_csv(path, index=False)


def months_of(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[M]")


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For per-participant counts: each row's participant index and its position 0..count-1."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.arange(len(owner)) - starts


def days_in_month(months: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return months.astype("datetime64[D]") + rng.integers(0, 28, len(months))


def generate_pilot(pilot: Pilot, size: int, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    model = synthetic.PILOTS[pilot.template]
    main = next(r["main_outcome"] for r in bundled_rows("pilots/programs.csv") if r["pilot_id"] == pilot.template)
    windows = {r["outcome"]: (int(r["window_start_days"]), int(r["window_end_days"]))
               for r in bundled_rows("pilots/outcome_definitions.csv") if r["pilot_id"] == pilot.template}
    ramp = np.minimum(1.0, (np.arange(MONTHS) + 1) / 4)
    enrolled = np.sort(days_in_month(START + rng.choice(MONTHS, size, p=ramp / ramp.sum()), rng))
    treated = (rng.random(size) < model["treated_share"]).astype(float)
    exit_date = enrolled + rng.integers(7, 365, size)
    exit_date = np.where((rng.random(size) < model["attrition"]) & (exit_date <= END), exit_date, np.datetime64("NaT"))
    baseline, baseline_mean = synthetic._baseline(rng, model["baseline"], size)
    ids = np.char.add(f"P{pilot.city.geoid}-", np.char.zfill(np.arange(1, size + 1).astype(str), 6))
    participants = pd.DataFrame({
        "pilot_id": pilot.pilot_id, "participant_id": ids, "arm": np.where(treated == 1, "treatment", "comparison"),
        "enrolment_date": enrolled, "exit_date": exit_date,
        "home_tract_geoid": rng.choice(np.array(pilot.city.tracts), size),
        "race_ethnicity": synthetic._pick(rng, {**model["race"], **synthetic.RARE_GROUPS}, size),
        "gender": synthetic._pick(rng, synthetic.GENDERS, size), "age_band": synthetic._pick(rng, model["ages"], size),
        "baseline_value": baseline, "is_synthetic": True,
    })
    last_seen = np.where(np.isnat(exit_date), END, exit_date)

    outcomes = []
    for name, spec in model["outcomes"].items():
        is_main = name == main
        if is_main:  # every month after the month of enrolment, until exit
            first = months_of(enrolled) + 1
            counts = np.maximum((months_of(last_seen) - first).astype(int) + 1, 0)
            who, step = expand(counts)
            dates = days_in_month(first[who] + step, rng)
        else:  # once, inside its follow-up window
            who = np.arange(size)
            dates = enrolled + rng.integers(windows[name][0], windows[name][1] + 1, size)
        keep = (dates <= last_seen[who]) & (rng.random(len(who)) >= MISSING)
        who, dates = who[keep], dates[keep]
        value, _ = synthetic._outcome(rng, spec, treated[who], baseline[who] if is_main else np.zeros(len(who)),
                                      baseline_mean if is_main else 0.0)
        outcomes.append(pd.DataFrame({"pilot_id": pilot.pilot_id, "participant_id": ids[who], "outcome": name,
                                      "outcome_date": dates, "value": value, "is_synthetic": True}))

    served = np.flatnonzero(treated == 1)
    window = np.minimum(enrolled[served] + model["service_days"], last_seen[served])
    days = np.maximum((window - enrolled[served]).astype(int), 0)
    who, _ = expand(rng.poisson(model["service_rate"] * days / model["service_days"]))
    kinds = synthetic._pick(rng, {k: w for k, (_, w) in model["services"].items()}, len(who))
    units = np.array([model["services"][k][0] for k in kinds]) if len(who) else np.array([], dtype=str)
    amount = np.where(units == "hours", rng.choice([1, 1.5, 2, 3], len(who)),
                      np.where(units == "items", rng.integers(1, 6, len(who)), np.round(rng.gamma(2.0, 120, len(who)), 2)))
    services = pd.DataFrame({"participant": served[who], "service_date": enrolled[served][who]
                             + (rng.random(len(who)) * (days[who] + 1)).astype(int),
                             "service_type": kinds, "amount": amount})
    return {"participants": participants, "services": services, "outcomes": pd.concat(outcomes, ignore_index=True),
            "ids": ids}


def write_uploads(folder: Path, pilot: Pilot, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The history and refresh-month files of one city; returns rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for name in ("participants", "services", "outcomes"):
        con.register(name, tables[name])
    con.register("ids", pd.DataFrame({"participant": np.arange(len(tables["ids"])), "participant_id": tables["ids"]}))
    selects = {
        "participants": ("select pilot_id, participant_id, arm, cast(enrolment_date as date) as enrolment_date, "
                         "cast(exit_date as date) as exit_date, home_tract_geoid, race_ethnicity, gender, age_band, "
                         "baseline_value, is_synthetic from participants", "enrolment_date"),
        # One row per person, day and service type: same-day services of a type are added up.
        "services": (f"select '{pilot.pilot_id}' as pilot_id, participant_id, cast(service_date as date) as service_date, "
                     "service_type, round(sum(amount), 2) as amount, true as is_synthetic "
                     "from services join ids using (participant) group by all", "service_date"),
        "outcomes": ("select pilot_id, participant_id, outcome, cast(outcome_date as date) as outcome_date, value, "
                     "is_synthetic from outcomes",
                     "outcome_date"),
    }
    written = {}
    for name, (select, date_column) in selects.items():
        for period, condition in ((HISTORY, "<"), (REFRESH, ">=")):
            target = folder / f"{name}_{period}.csv"
            con.execute(f"copy (select * from ({select}) where {date_column} {condition} '{LAST_MONTH}' "
                        f"order by all) to '{target.as_posix()}' (header, delimiter ',')")
        written[name] = con.execute(f"select count(*) from ({select})").fetchone()[0]
    con.close()
    return written
