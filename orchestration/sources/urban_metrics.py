"""Urban Institute Upward Mobility Framework city metrics (UI-Research/mobility-from-poverty).

One raw table per published file, for the 486 places of 75,000+ people; `state` + `place`
is the place GEOID. Each metric carries `_quality` (1 good, 2 marginal, 3 poor) and, for
some, `_lb`/`_ub` confidence bounds.
"""

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import pad, SourceFile

GROUP = "urban_metrics"
PROVENANCE = "Urban Institute, Upward Mobility Framework, repository UI-Research/mobility-from-poverty"
READ = "header = true, nullstr = ['NA', ''], sample_size = -1, types = {'state': 'VARCHAR', 'place': 'VARCHAR'}"

FILES = {
    "urban_income": ("metrics_income_place_all_longitudinal.csv", "Household income at the 20th, 50th "
                     "and 80th percentiles (dollars) with bounds."),
    "urban_employment": ("metrics_employment_place_all_longitudinal.csv", "Share of adults 25-54 employed, "
                         "with bounds."),
    "urban_college": ("metrics_college_place_all_longitudinal.csv", "Share of 19-20 year olds with a high "
                      "school degree, with bounds."),
    "urban_housing": ("housing_place_2014_2015_2016_2017_2018_2019_2021_2022_2023.csv", "Affordable and "
                      "available housing units per low-income household (a ratio), by tenure."),
    "urban_poverty_exposure": ("poverty-exposure_city.csv", "Share of people in poverty who live in "
                               "high-poverty neighbourhoods."),
    "urban_race_exposure": ("race-ethnicity-exposure-city.csv", "Exposure of each race-ethnicity group "
                            "to neighbours of other groups."),
    "urban_digital_access": ("digital_access_place_all_longitudinal.csv", "Share of households with "
                             "broadband and a computer."),
    "urban_economic_connectedness": ("economic_connectedness_version2025_place_2022.csv", "Economic "
                                     "connectedness (Social Capital Atlas) per place."),
    "urban_crime_rates": ("rates_crime_place_all.csv", "Reported violent and property crimes per "
                          "100,000 people."),
    "urban_race_share_metrics": ("63_mobility-metrics_place_race-share_longitudinal.csv", "Debt in "
                                 "collections, air hazard index, transit commuting and transportation cost, "
                                 "for all residents and by neighbourhood race share."),
}

SOURCES = [
    SourceFile(
        table=table,
        path=f"urban_mobility_metrics/{file}",
        group=GROUP,
        description=description,
        select=f"* replace ({pad('state', 2)} as state, {pad('place', 5)} as place)",
        read_options=READ,
        provenance=PROVENANCE,
    )
    for table, (file, description) in FILES.items()
]

sources = SourceGroup("urban_metrics", SOURCES)
