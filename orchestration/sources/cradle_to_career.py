"""Cradle-to-career milestones: Urban Institute place metrics by race, SEDA learning rates,
school poverty, Brookings young-adult employment and disconnected youth per PUMA, with the
project's catalogue of milestones and measures (seeds/cradle_to_career/).

Place files key a place by `state` + `place` (zero-padded strings); `NA` and empty strings
both mean missing.
"""

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import pad, SourceFile

GROUP = "cradle_to_career"
URBAN = "Urban Institute, Upward Mobility Framework, repository UI-Research/mobility-from-poverty"
MISSING = "nullstr = ['NA', ''], sample_size = -1"
PLACE_READ = f"header = true, {MISSING}, types = {{'state': 'VARCHAR', 'place': 'VARCHAR'}}"
PLACE_SELECT = f"* replace ({pad('state', 2)} as state, {pad('place', 5)} as place)"
PROJECT = "Maintained by the project: StriveTogether's cradle-to-career milestones"


def urban_place_file(table: str, file: str, description: str) -> SourceFile:
    return SourceFile(table=table, path=f"cradle_to_career/{file}", group=GROUP, description=description,
                      select=PLACE_SELECT, read_options=PLACE_READ, provenance=URBAN)


SOURCES = [
    urban_place_file("c2c_preschool_race", "metrics_preschool_place_race-ethnicity_longitudinal.csv",
                     "Share of 3- and 4-year-olds enrolled in preschool per place, year and race-ethnicity, "
                     "with 95% bounds and quality."),
    urban_place_file("c2c_college_race", "metrics_college_place_race-ethnicity_longitudinal.csv",
                     "Share of 19- and 20-year-olds with a high school degree per place, year and "
                     "race-ethnicity, with 95% bounds and quality."),
    urban_place_file("c2c_employment_race", "metrics_employment_place_race-ethnicity_longitudinal.csv",
                     "Share of 25- to 54-year-olds employed per place, year and race-ethnicity, with 95% "
                     "bounds and quality."),
    urban_place_file("c2c_learning_rate", "SEDA_all_subgroups_city_2014-2018.csv",
                     "Average annual learning growth in reading, grades 3 to 8 (SEDA), per place, year and "
                     "subgroup (race-ethnicity, gender, economic disadvantage), with 95% bounds and quality."),
    urban_place_file("c2c_school_poverty", "meps_city_2014-2021.csv",
                     "Share of Black, Hispanic and White public-school students in schools where 20% or "
                     "more of students are poor (MEPS), per place and year, with quality."),
    SourceFile(
        table="c2c_young_adult_employment",
        path="cradle_to_career/brookings_out_of_work_co_oow.csv",
        group=GROUP,
        description="Out-of-work profiles per jurisdiction (large county, city, or county remainder) and "
        "age group (18-24, 25-64), pooled ACS 2013-2015: share employed and sample size.",
        select=f"* replace ({pad('stco_code', 5)} as stco_code)",
        read_options=f"header = true, {MISSING}, types = {{'stco_code': 'VARCHAR', 'pl_code': 'VARCHAR'}}",
        provenance="Brookings Metropolitan Policy Program, Meet the out-of-work and Young adults who are "
        "out of work (Ross & Holmes 2017), repository fansi-sifan/metro-datasets",
    ),
    SourceFile(
        table="c2c_disconnected_youth_puma",
        path="cradle_to_career/disconnectedDataByPUMA.csv",
        group=GROUP,
        description="Persons 16-24 neither in school nor working per 2010 PUMA, ACS 2021 1-year PUMS: "
        "count and rate per 1,000 residents aged 16-24.",
        select=f"* replace ({pad('PUMA', 5)} as PUMA)",
        read_options=f"header = true, {MISSING}, types = {{'PUMA': 'VARCHAR'}}",
        provenance="QSIDE DATA2LIFT opportunity-youth project (Zofia Stanley), repository zcstanley/DATA2LIFT",
    ),
    SourceFile(
        table="c2c_puma_place_2010",
        path="cradle_to_career/puma_to_place_2010.csv",
        group=GROUP,
        description="2010 PUMA to place crosswalk for the places of 75,000+ (Geocorr 2018): population of "
        "each place-PUMA intersection and allocation factors.",
        select=f"* replace ({pad('statefip', 2)} as statefip, {pad('place', 5)} as place, "
        f"{pad('puma', 5)} as puma)",
        read_options=f"header = true, {MISSING}, "
        "types = {'statefip': 'VARCHAR', 'place': 'VARCHAR', 'puma': 'VARCHAR'}",
        provenance=URBAN,
    ),
    SourceFile(
        table="c2c_milestones",
        path="cradle_to_career/milestones.csv",
        group=GROUP,
        description="StriveTogether's cradle-to-career milestones in order, with the context indicators "
        "beside them and the official source that measures each milestone.",
        select="*",
        read_options="header = true, sample_size = -1",
        provenance=PROJECT,
    ),
    SourceFile(
        table="c2c_measures",
        path="cradle_to_career/measures.csv",
        group=GROUP,
        description="Every published measure the warehouse reads for a milestone: its source table and "
        "column, the milestone, whether it measures the milestone itself, stands in for it, or gives "
        "context, and its unit.",
        select="*",
        read_options="header = true, sample_size = -1",
        provenance=PROJECT,
    ),
]

sources = SourceGroup(GROUP, SOURCES)
