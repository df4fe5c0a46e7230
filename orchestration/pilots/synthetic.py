"""Synthetic pilot data for the nine registry pilots: seeded, reproducible, marked synthetic.

    python -m orchestration.pilots.synthetic      # rewrites seeds/pilots/synthetic/

No public participant-level pilot data exists, so the warehouse ships this set to exercise
the contract, the pipeline, the estimators and the evidence rules. Each pilot gets a few
thousand participants enrolling over time (ramp-up, seasonality), attrition, missing outcomes
and home tracts drawn from the city's real 2010 tracts. Outcomes are measured inside each
outcome's follow-up window (outcome_definitions.csv), a few also outside it. Outcomes are
additive in receiving the pilot (or proportional, for a lower-is-better dollar amount); 85% of
the treatment arm take it up, so the true intent-to-treat effect is 0.85 times the effect on
those served, and both are written to `manifest.json`.

Three pilots carry a flaw the evidence rules must catch, and the manifest records the rating
each pilot should get:
* matched designs select into treatment on the baseline (Dayton mildly, New Orleans strongly:
  its groups differ by more than 0.25 standard deviations at baseline);
* Detroit loses comparison participants with high rent arrears (attrition that depends on the
  outcome), so its differential attrition is high and its estimates are biased.
Otherwise attrition and missing measurements are independent of the outcomes, so complete-case
estimates are unbiased for the recorded effects. Every row carries `is_synthetic = true`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from orchestration.files import sql
from orchestration.pilots import registry

SEED = 20250101
DATA_CUTOFF = date(2025, 12, 31)  # the extract date: nothing measured after it is in the files
GENDERS = {"female": 0.56, "male": 0.41, "another_gender": 0.01, "unknown": 0.02}
ADULT_AGES = {"18_24": 0.14, "25_34": 0.3, "35_44": 0.25, "45_54": 0.17, "55_64": 0.1, "65_and_over": 0.04}
RARE_GROUPS = {"native_hawaiian_pacific_islander": 0.003, "unknown": 0.01}
TAKE_UP = 0.85  # share of the treatment arm that receives any service
OUTSIDE_WINDOW = 0.04  # share of measurements taken after the follow-up window closed
EARLY_CHECK = 0.10  # share of participants also measured early, before the window opens

# Per pilot: size, arm share, population, services, baseline and outcome models, the rating the
# evidence rules should give and, for the flawed pilots, the flaw: `selection` (the treated share
# rises by this much per baseline standard deviation) or `outcome_attrition` (comparison
# participants above the outcome's median are lost with this extra probability). With `clusters`,
# participants come in that many groups (cluster_id; drawn last, so the other draws stay as they were).
# Outcome models: binary p = base + coef * baseline + effect * treated;
# continuous y = draw + coef * baseline + effect * treated, draw ~ gamma(shape, scale) or normal(mean, sd);
# scaled y = (draw + coef * baseline) * (1 + ratio * treated), true effect = ratio * E[draw + coef * baseline].
PILOTS = {
    "cincinnati_workforce": dict(
        expected_rating="meets_without_reservations",
        treated_share=0.5, attrition=0.22,
        race={"black": 0.55, "white": 0.33, "hispanic": 0.05, "asian": 0.02, "multiracial": 0.04, "other": 0.01},
        ages=ADULT_AGES, service_rate=7, service_days=180,
        services={"job_coaching": ("hours", 0.5), "transportation_stipend": ("dollars", 0.25),
                  "childcare_subsidy": ("dollars", 0.15), "training_course": ("hours", 0.1)},
        baseline=dict(kind="binary", p=0.25),
        outcomes={"employed_90d": dict(kind="binary", base=0.40, coef=0.25, effect=0.08),
                  "quarterly_wages": dict(kind="continuous", gamma=(3.5, 750), effect=650)}),
    "dayton_early_childhood": dict(
        expected_rating="meets_with_reservations", selection=0.037, clusters=40,
        treated_share=0.45, attrition=0.15,
        race={"black": 0.45, "white": 0.45, "hispanic": 0.04, "multiracial": 0.05, "other": 0.01},
        ages={"under_18": 1.0}, service_rate=9, service_days=270,
        services={"home_visit": ("hours", 0.5), "parent_workshop": ("hours", 0.3), "book_delivery": ("items", 0.2)},
        baseline=dict(kind="normal", mean=255, sd=12),
        outcomes={"kindergarten_readiness_score": dict(kind="continuous", normal=(96, 9), coef=0.62, effect=3.5,
                                                       follow=300, digits=0),
                  "reads_daily_at_home": dict(kind="binary", base=0.35, effect=0.10)}),
    "detroit_housing": dict(
        expected_rating="meets_with_reservations", outcome_attrition=0.25,
        treated_share=0.5, attrition=0.25,
        race={"black": 0.8, "white": 0.09, "hispanic": 0.08, "asian": 0.01, "multiracial": 0.02},
        ages=ADULT_AGES, service_rate=4, service_days=150,
        services={"legal_consultation": ("hours", 0.4), "landlord_mediation": ("hours", 0.3),
                  "rental_assistance": ("dollars", 0.3)},
        baseline=dict(kind="gamma", shape=2.0, scale=900),
        outcomes={"rent_arrears_dollars": dict(kind="scaled", gamma=(1.5, 600), coef=0.5, ratio=-0.3),
                  "stably_housed_12m": dict(kind="binary", base=0.72, effect=0.06)}),
    "lansing_financial_empowerment": dict(
        expected_rating="does_not_meet",
        treated_share=1.0, attrition=0.2,
        race={"white": 0.5, "black": 0.25, "hispanic": 0.13, "asian": 0.04, "multiracial": 0.08},
        ages=ADULT_AGES, service_rate=5, service_days=240,
        services={"financial_coaching": ("hours", 0.7), "credit_builder_loan": ("dollars", 0.3)},
        baseline=dict(kind="normal", mean=590, sd=55),
        outcomes={"credit_score": dict(kind="continuous", normal=(0, 30), coef=1.0, effect=18, digits=0)}),
    "new_orleans_career_readiness": dict(
        expected_rating="does_not_meet", selection=0.08,
        treated_share=0.5, attrition=0.28,
        race={"black": 0.65, "white": 0.25, "hispanic": 0.06, "asian": 0.02, "multiracial": 0.02},
        ages={"under_18": 0.2, "18_24": 0.8}, service_rate=8, service_days=200,
        services={"career_workshop": ("hours", 0.45), "paid_internship": ("dollars", 0.25), "mentoring": ("hours", 0.3)},
        baseline=dict(kind="binary", p=0.2),
        outcomes={"employed_6m": dict(kind="binary", base=0.38, coef=0.2, effect=0.05),
                  "credential_earned": dict(kind="binary", base=0.18, effect=0.12)}),
    "newark_eviction": dict(
        expected_rating="meets_without_reservations",
        treated_share=0.5, attrition=0.18,
        race={"black": 0.5, "hispanic": 0.38, "white": 0.08, "asian": 0.02, "other": 0.02},
        ages=ADULT_AGES, service_rate=3, service_days=120,
        services={"legal_representation": ("hours", 0.45), "emergency_rental_assistance": ("dollars", 0.3),
                  "case_management": ("hours", 0.25)},
        baseline=dict(kind="binary", p=0.3),
        outcomes={"eviction_filing_12m": dict(kind="binary", base=0.22, coef=0.15, effect=-0.07),
                  "shelter_entry_12m": dict(kind="binary", base=0.06, effect=-0.02)}),
    "racine_education": dict(
        expected_rating="does_not_meet",
        treated_share=0.5, attrition=0.3,
        race={"white": 0.45, "black": 0.3, "hispanic": 0.2, "multiracial": 0.05},
        ages={"18_24": 0.4, "25_34": 0.35, "35_44": 0.2, "45_54": 0.05}, service_rate=10, service_days=300,
        services={"tutoring": ("hours", 0.7), "exam_voucher": ("dollars", 0.1), "childcare": ("hours", 0.2)},
        baseline=None,
        outcomes={"hsed_attained": dict(kind="binary", base=0.3, effect=0.11),
                  "enrolled_postsecondary": dict(kind="binary", base=0.08, effect=0.03)}),
    "rochester_savings": dict(
        expected_rating="meets_without_reservations",
        treated_share=0.5, attrition=0.15,
        race={"black": 0.45, "white": 0.3, "hispanic": 0.2, "asian": 0.03, "multiracial": 0.02},
        ages=ADULT_AGES, service_rate=10, service_days=365,
        services={"match_deposit": ("dollars", 0.75), "financial_coaching": ("hours", 0.25)},
        baseline=dict(kind="gamma", shape=1.2, scale=250),
        outcomes={"savings_balance": dict(kind="continuous", gamma=(1.5, 300), coef=0.8, effect=310),
                  "emergency_savings_500": dict(kind="binary", base=0.28, effect=0.09)}),
    "tulsa_career_education": dict(
        expected_rating="meets_without_reservations",
        treated_share=0.5, attrition=0.25,
        race={"white": 0.45, "black": 0.17, "hispanic": 0.2, "american_indian_alaska_native": 0.08, "asian": 0.03,
              "multiracial": 0.07},
        ages={"18_24": 0.85, "25_34": 0.15}, service_rate=9, service_days=210,
        services={"career_course": ("hours", 0.6), "work_experience": ("hours", 0.25), "tool_stipend": ("dollars", 0.15)},
        baseline=dict(kind="binary", p=0.3),
        outcomes={"employed_90d": dict(kind="binary", base=0.45, coef=0.2, effect=0.0),
                  "hourly_wage": dict(kind="continuous", normal=(15.5, 3.5), effect=0.6, digits=2)}),
}


def city_tracts(city_geoid: str) -> list[str]:
    path = registry.pilots_dir().parent / "geography" / "tracts_by_place_centroid_USA_t2010_p2021.csv"
    rows = duckdb.connect().execute(
        f"select distinct lpad(TRACTID, 11, '0') from read_csv({sql.path(path)}, header = true, all_varchar = true, sample_size = -1) "
        "where left(lpad(TRACTID, 11, '0'), 2) || lpad(PLACEID, 5, '0') = ? order by 1",
        [city_geoid],
    ).fetchall()
    return [r[0] for r in rows]


def _pick(rng: np.random.Generator, weights: dict[str, float], size: int) -> np.ndarray:
    names = list(weights)
    p = np.array([weights[n] for n in names], dtype=float)
    return rng.choice(names, size=size, p=p / p.sum())


def _enrolment_days(rng: np.random.Generator, start: date, last: date, size: int) -> np.ndarray:
    """Days since start: ramp-up over the first four months, a summer dip, then steady intake."""
    span = (last - start).days + 1
    day = np.arange(span)
    day_of_year = np.array([(start + timedelta(int(d))).timetuple().tm_yday for d in day])
    weight = np.minimum(1.0, (day + 15) / 120) * (1 + 0.2 * np.cos(2 * np.pi * (day_of_year - 15) / 365))
    return rng.choice(day, size=size, p=weight / weight.sum())


def _baseline(rng, spec, size):
    if spec is None:
        return np.full(size, None), 0.0
    if spec["kind"] == "binary":
        return (rng.random(size) < spec["p"]).astype(int), spec["p"]
    if spec["kind"] == "normal":
        return np.round(rng.normal(spec["mean"], spec["sd"], size)), spec["mean"]
    return np.round(rng.gamma(spec["shape"], spec["scale"], size), 2), spec["shape"] * spec["scale"]


def _outcome(rng, spec, treated, baseline, baseline_mean):
    size = len(treated)
    b = np.array([0.0 if v is None else float(v) for v in baseline])
    coef = spec.get("coef", 0.0)
    if spec["kind"] == "binary":
        p = spec["base"] + coef * b + spec["effect"] * treated
        assert p.min() >= 0 and p.max() <= 1, spec
        return (rng.random(size) < p).astype(int), spec["effect"]
    if "gamma" in spec:
        draw, draw_mean = rng.gamma(*spec["gamma"], size), spec["gamma"][0] * spec["gamma"][1]
    else:
        draw, draw_mean = rng.normal(*spec["normal"], size), spec["normal"][0]
    if spec["kind"] == "scaled":
        value = (draw + coef * b) * (1 + spec["ratio"] * treated)
        effect = spec["ratio"] * (draw_mean + coef * baseline_mean)
    else:
        value, effect = draw + coef * b + spec["effect"] * treated, spec["effect"]
    return np.round(value, spec.get("digits", 2)), float(effect)


def _assignment(rng, settings, baseline, size) -> np.ndarray:
    """1 = treatment. Randomised: a coin with the treated share. With `selection`, the treated
    share rises with the participant's standardised baseline (selection into a matched design)."""
    share = np.full(size, settings["treated_share"])
    if settings.get("selection"):
        b = baseline.astype(float)
        share = np.clip(share + settings["selection"] * (b - b.mean()) / b.std(), 0.02, 0.98)
    return (rng.random(size) < share).astype(float)


def generate_pilot(pilot: registry.Pilot, settings: dict, rng: np.random.Generator) -> tuple[dict, dict]:
    start, end = date.fromisoformat(pilot.start_date), date.fromisoformat(pilot.end_date)
    size = int(rng.integers(2000, 3600))
    enrolled = np.array([start + timedelta(int(d)) for d in
                         np.sort(_enrolment_days(rng, start, end - timedelta(days=60), size))])
    baseline, baseline_mean = _baseline(rng, settings["baseline"], size)
    treated = _assignment(rng, settings, baseline, size)
    served = treated * (rng.random(size) < TAKE_UP)
    exits = rng.random(size) < settings["attrition"]
    longest = max(o.window_end_days for o in pilot.outcomes.values())
    exit_after = rng.integers(7, longest, size)
    exit_date = np.array([e + timedelta(int(d)) if x else None for e, d, x in zip(enrolled, exit_after, exits)])
    ids = np.array([f"P{pilot.city_geoid}-{i:05d}" for i in range(1, size + 1)])
    participants = pd.DataFrame({
        "pilot_id": pilot.pilot_id, "participant_id": ids,
        "arm": np.where(treated == 1, "treatment", "comparison"),
        "enrolment_date": enrolled, "exit_date": exit_date,
        "home_tract_geoid": rng.choice(city_tracts(pilot.city_geoid), size),
        "race_ethnicity": _pick(rng, {**settings["race"], **RARE_GROUPS}, size),
        "gender": _pick(rng, GENDERS, size), "age_band": _pick(rng, settings["ages"], size),
        "baseline_value": baseline, "is_synthetic": "true",
    })

    outcome_rows, effects = [], {}
    for name, spec in settings["outcomes"].items():
        main = name == pilot.main_outcome
        value, effects[name] = _outcome(rng, spec, served, baseline if main else np.zeros(size), baseline_mean if main else 0.0)
        window = pilot.outcomes[name]
        late = rng.random(size) < OUTSIDE_WINDOW
        day = np.where(late, window.window_end_days + rng.integers(5, 40, size),
                       rng.integers(window.window_start_days, window.window_end_days + 1, size))
        measured_on = np.array([e + timedelta(int(d)) for e, d in zip(enrolled, day)])
        left_before = np.array([x is not None and x < m for x, m in zip(exit_date, measured_on)])
        missing = (rng.random(size) < 0.07) | (left_before & (rng.random(size) < 0.85)) | (measured_on > DATA_CUTOFF)
        if main and settings.get("outcome_attrition"):
            worse = value > np.median(value) if pilot.outcomes[name].better_direction == "lower" else value < np.median(value)
            missing |= (treated == 0) & worse & (rng.random(size) < settings["outcome_attrition"])
        early = ~missing & (rng.random(size) < EARLY_CHECK)
        early_on = np.array([e + timedelta(window.window_start_days // 2) for e in enrolled])
        outcome_rows += [
            pd.DataFrame({"pilot_id": pilot.pilot_id, "participant_id": ids, "outcome": name, "outcome_date": measured_on,
                          "value": value, "is_synthetic": "true"})[~missing],
            pd.DataFrame({"pilot_id": pilot.pilot_id, "participant_id": ids, "outcome": name, "outcome_date": early_on,
                          "value": value, "is_synthetic": "true"})[early],
        ]

    service_rows = []
    for i in np.flatnonzero(served == 1):
        window_end = min(enrolled[i] + timedelta(settings["service_days"]), exit_date[i] or DATA_CUTOFF, DATA_CUTOFF)
        days = (window_end - enrolled[i]).days
        count = max(1, int(rng.poisson(settings["service_rate"] * days / settings["service_days"]))) if days > 0 else 1
        kinds = _pick(rng, {k: w for k, (_, w) in settings["services"].items()}, count)
        for offset, kind in zip(rng.integers(0, max(days, 0) + 1, count), kinds):
            unit = settings["services"][kind][0]
            amount = (rng.choice([1, 1.5, 2, 3]) if unit == "hours" else rng.integers(1, 6) if unit == "items"
                      else round(float(rng.gamma(2.0, 120)), 2))
            service_rows.append((ids[i], enrolled[i] + timedelta(int(offset)), kind, amount))
    services = (pd.DataFrame(service_rows, columns=["participant_id", "service_date", "service_type", "amount"])
                .groupby(["participant_id", "service_date", "service_type"], as_index=False)["amount"].sum())
    services.insert(0, "pilot_id", pilot.pilot_id)
    services["is_synthetic"] = "true"

    outcomes = pd.concat(outcome_rows, ignore_index=True)
    if settings.get("clusters"):
        participants.insert(participants.columns.get_loc("baseline_value") + 1, "cluster_id",
                            [f"centre_{k:02d}" for k in rng.integers(1, settings["clusters"] + 1, size)])
    manifest = {
        "pilot_id": pilot.pilot_id, "city_geoid": pilot.city_geoid, "design": pilot.design,
        "expected_rating": settings["expected_rating"],
        "flaw": ("selection into treatment on the baseline" if settings.get("selection")
                 else "attrition that depends on the outcome (estimates biased)" if settings.get("outcome_attrition")
                 else None),
        "count_participants": size, "count_treatment": int(treated.sum()), "count_comparison": int(size - treated.sum()),
        "attrition_rate": settings["attrition"], "take_up": TAKE_UP, "count_services": int(len(services)),
        "count_outcome_rows": int(len(outcomes)),
        "true_effects": [
            {"outcome": name, "true_effect": round(effect * TAKE_UP, 6),
             "true_effect_on_served": round(effect, 6),
             "scale": "mean change from baseline (no secular trend is generated)" if pilot.design == "pre_post"
             else "intent to treat: difference in population means, treatment minus comparison"}
            for name, effect in effects.items()
        ],
    }
    return {"participants": participants, "services": services, "outcomes": outcomes}, manifest


def generate(target: Path | None = None) -> dict:
    target = target or registry.synthetic_dir()
    pilots = registry.load_pilots()
    manifest = {
        "description": "True effects of the bundled SYNTHETIC pilot data. No row describes a real person.",
        "generator": "python -m orchestration.pilots.synthetic", "seed": SEED,
        "data_cutoff": DATA_CUTOFF.isoformat(), "missingness": "completely at random (independent of outcomes), but for the pilot whose flaw says otherwise",
        "pilots": [],
    }
    for index, pilot_id in enumerate(sorted(PILOTS)):
        pilot = pilots[pilot_id]
        tables, entry = generate_pilot(pilot, PILOTS[pilot_id], np.random.default_rng([SEED, index]))
        folder = target / pilot.city_geoid
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in tables.items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        manifest["pilots"].append(entry)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    result = generate()
    for pilot in result["pilots"]:
        print(f"{pilot['pilot_id']:<32} {pilot['count_participants']:>6} participants "
              f"{pilot['count_services']:>7} services {pilot['count_outcome_rows']:>7} outcome rows")
