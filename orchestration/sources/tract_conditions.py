"""Neighbourhood conditions of every 2010 census tract, ACS 5-year 2011-2015 and 2014-2018,
read from the files as their publishers distribute them.

- The Brokamp community deprivation index files (geomarker-io/dep_index): an R data file
  (`.rds`, one data frame) per ACS release with six tract measures and the index.
- OEPS `EC03_2018_T.csv` (GeoDaCenter/opioid-policy-scan): unemployment, poverty and per-capita
  income, ACS 2014-2018; its integer GEOID lost the leading zero of states 01-09 (padded here).

None of the files publishes a margin of error.
"""

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import SourceFile, pad

GROUP = "tract_conditions"
DEP_INDEX = ("Brokamp et al. (2019), community deprivation index, repository geomarker-io/dep_index (GPL-3); "
             "values are Census Bureau ACS 5-year estimates")
OEPS = ("Opioid Environment Policy Scan EC03, repository GeoDaCenter/opioid-policy-scan, Zenodo "
        "doi:10.5281/zenodo.5842465; values are Census Bureau ACS 5-year estimates")


def deprivation_index(release: int, years: str) -> SourceFile:
    return SourceFile(
        table=f"tract_deprivation_{release}acs",
        path=f"tract_conditions/ACS_deprivation_index_by_census_tracts_{release}acs.rds",
        group=GROUP,
        description=f"ACS {years} measures of every 2010 tract (fractions of people or households, "
        "median household income in dollars) and the deprivation index built from them.",
        select=f"* replace ({pad('census_tract_fips', 11)} as census_tract_fips)",
        reader="rds",
        provenance=DEP_INDEX,
    )


SOURCES = [
    deprivation_index(2015, "2011-2015"),
    deprivation_index(2018, "2014-2018"),
    SourceFile(
        table="tract_economic_2018acs",
        path="tract_conditions/EC03_2018_T.csv",
        group=GROUP,
        description="ACS 2014-2018 unemployment rate and share below poverty (percent) and per-capita "
        "income (dollars) of every 2010 tract.",
        select=f"* replace ({pad('GEOID', 11)} as GEOID)",
        read_options="header = true, nullstr = ['NA', ''], sample_size = -1, types = {'GEOID': 'VARCHAR'}",
        provenance=OEPS,
    ),
]

sources = SourceGroup(GROUP, SOURCES)
