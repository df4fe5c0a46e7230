"""Opportunity Atlas and Opportunity Insights files (Chetty, Friedman, Hendren, Jones & Porter)."""

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import pad, SourceFile
from orchestration.sources.opportunity_insights import TRACT_OUTCOMES
from orchestration.sources.optional_files import OptionalFileConfig

GROUP = "atlas"
CSV = "header = true, nullstr = ['NA', ''], sample_size = -1"
ATLAS = "Opportunity Atlas (Chetty, Friedman, Hendren, Jones & Porter 2018), via the Atlas site export"
RACE = "Chetty, Hendren, Jones & Porter (2018), Race and Economic Opportunity in the United States"

SOURCES = [
    SourceFile(
        table="atlas_tract_household_income",
        path="opportunity_atlas/tract_kfr_rP_gP_p25.csv",
        group=GROUP,
        description="Mean household income at age 35 (dollars) for children of 25th-percentile "
        "parents, all races and genders, per 2010 tract, with the Atlas neighbourhood name.",
        select=f"* replace ({pad('tract', 11)} as tract)",
        read_options=CSV,
        provenance=ATLAS,
    ),
    SourceFile(
        table="atlas_tract_top20_share",
        path="opportunity_atlas/tract_kfr_top20_rP_gP_p25.csv",
        group=GROUP,
        description="Share of children of 25th-percentile parents reaching the top 20% of "
        "household income, per 2010 tract.",
        select=f"* replace ({pad('tract', 11)} as tract)",
        read_options=CSV,
        provenance=ATLAS,
    ),
    SourceFile(
        table="atlas_county_outcomes",
        path="opportunity_atlas/county_outcomes_simple.csv",
        group=GROUP,
        description="Official county estimates: household income rank (kfr) and incarceration "
        "(jail) at p25 by race and gender, with standard errors and counts.",
        select=f"* replace ({pad('state', 2)} as state, {pad('county', 3)} as county)",
        read_options=CSV,
        provenance="Opportunity Atlas replication data, Harvard Dataverse doi:10.7910/DVN/NKCQM1",
    ),
    SourceFile(
        table="atlas_social_capital_county",
        path="opportunity_atlas/social_capital_county.csv",
        group=GROUP,
        description="Social Capital Atlas county measures: economic connectedness with "
        "standard errors, exposure, bias, clustering, civic organisations.",
        select=f"* replace ({pad('county', 5)} as county)",
        read_options=CSV,
        provenance="Chetty et al. (2022), Social capital I, Nature; Social Capital Atlas",
    ),
    SourceFile(
        table="oi_tract_race_income_rank",
        path="opportunity_insights_race/tract_collapse.csv",
        group=GROUP,
        description="Individual income rank (0-100) at age ~35 for children of 25th-percentile "
        "parents by race, per 2010 tract, with kid counts (the weights).",
        select=f"* replace ({pad('state', 2)} as state, {pad('county', 3)} as county, "
        f"{pad('tract', 6)} as tract)",
        read_options=CSV,
        provenance=RACE,
    ),
    SourceFile(
        table="oi_national_race_income_rank",
        path="opportunity_insights_race/national_collapse.csv",
        group=GROUP,
        description="National individual income rank by parent percentile, race and gender.",
        select="*",
        read_options=CSV,
        provenance=RACE,
    ),
    SourceFile(
        table="oi_cz_county_crosswalk",
        path="opportunity_insights_race/cz_county_crosswalk.csv",
        group=GROUP,
        description="Commuting zone of every county (1990 commuting zones).",
        select=f"* replace ({pad('state', 2)} as state, {pad('county', 3)} as county)",
        read_options=CSV,
        provenance=RACE,
    ),
    SourceFile(
        table="oi_tract_covariates",
        path="opportunity_insights_race/tract_covariates.csv",
        group=GROUP,
        description="Tract covariate: mean household income in 2000 (dollars).",
        select=f"* replace ({pad('state', 2)} as state, {pad('county', 3)} as county, "
        f"{pad('tract', 6)} as tract)",
        read_options=CSV,
        provenance=RACE,
    ),
]


tract_outcomes = TRACT_OUTCOMES.custom_table(
    GROUP,
    "Official Opportunity Insights tract outcomes in long form: one row per tract, outcome, race, "
    "gender and parent percentile with standard error and count. Empty unless a file is configured "
    "(env MOBILITY_ATLAS_TRACT_OUTCOMES or run config): the bundled data has no full-width tract file.",
    "Official Opportunity Insights tract outcomes file, when configured.",
)

sources = SourceGroup("atlas", SOURCES, [tract_outcomes], OptionalFileConfig)
