"""Geography: tract-to-place crosswalks, tract population centres, county-to-place factors."""

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import pad, SourceFile

GROUP = "geography"
CSV = "header = true, nullstr = ['NA', ''], sample_size = -1"
MARKLEY = "Markley, tracts by place centroid, Zenodo doi:10.5281/zenodo.7649459, CC BY 4.0"
CENPOP = "Census Bureau centers of population (CenPop) via NikKrieger/USpopcenters, CC0"
GEOCORR = "Missouri Census Data Center, MABLE/Geocorr"
CENTROID_TYPES = ", types = {'TRACTID': 'VARCHAR', 'PLACEID': 'VARCHAR'}"
CENTER_TYPES = ", types = {'GEOID': 'VARCHAR', 'STATEFP': 'VARCHAR', 'COUNTYFP': 'VARCHAR', 'TRACTCE': 'VARCHAR'}"
GEOCORR_2018_COLUMNS = ["county14", "state", "placefp14", "stab", "cntyname2", "placefp", "placenm",
                        "placenm14", "pop10", "afact", "AFACT2"]


def tract_place(vintage: int) -> SourceFile:
    return SourceFile(
        table=f"geo_tract_place_{vintage}",
        path=f"geography/tracts_by_place_centroid_USA_t{vintage}_p2021.csv",
        group=GROUP,
        description=f"Every {vintage} tract whose centroid lies in a 2021 Census place, with the "
        "place FIPS, name and type. Tracts outside any place are absent.",
        select=f"* replace ({pad('TRACTID', 11)} as TRACTID, {pad('PLACEID', 5)} as PLACEID)",
        read_options=CSV + CENTROID_TYPES,
        provenance=MARKLEY,
    )


def tract_centers(vintage: int) -> SourceFile:
    return SourceFile(
        table=f"geo_tract_centers_{vintage}",
        path=f"geography/tract{vintage}_centers_of_population_national.csv",
        group=GROUP,
        description=f"Population-weighted centre and total population of every {vintage} tract.",
        select=f"* replace ({pad('GEOID', 11)} as GEOID, {pad('STATEFP', 2)} as STATEFP, "
        f"{pad('COUNTYFP', 3)} as COUNTYFP, {pad('TRACTCE', 6)} as TRACTCE)",
        read_options=CSV + CENTER_TYPES,
        provenance=CENPOP,
    )


SOURCES = [
    tract_place(2010),
    tract_place(2020),
    tract_centers(2010),
    tract_centers(2020),
    SourceFile(
        table="geo_tract_attributes_2019",
        path="geography/tl_2019_tract_attributes_target_counties.csv",
        group=GROUP,
        description="TIGER/Line 2019 tract attributes (land and water area, internal point) for "
        "the counties around the registry cities.",
        select=f"* replace ({pad('GEOID', 11)} as GEOID, {pad('STATEFP', 2)} as STATEFP, "
        f"{pad('COUNTYFP', 3)} as COUNTYFP, {pad('TRACTCE', 6)} as TRACTCE)",
        read_options=CSV + ", types = {'GEOID': 'VARCHAR', 'STATEFP': 'VARCHAR', "
        "'COUNTYFP': 'VARCHAR', 'TRACTCE': 'VARCHAR', 'NAME': 'VARCHAR'}",
        provenance="Census Bureau TIGER/Line 2019 (public domain)",
    ),
    SourceFile(
        table="geo_county_place_2018",
        path="geography/geocorr2018_county_place_2014_thru_2019.csv",
        group=GROUP,
        description="Geocorr 2018 county-to-place allocation factors for 2014-2019 places "
        "(`afact`: share of the county's 2010 population in the place; `AFACT2` the reverse).",
        select=f"* replace ({pad('county14', 5)} as county14, {pad('state', 2)} as state, "
        f"{pad('placefp14', 5)} as placefp14)",
        # Row 2 repeats the header as labels: skip both and name the columns.
        read_options="header = false, skip = 2, nullstr = ['NA', '', ' '], sample_size = -1, "
        f"names = {GEOCORR_2018_COLUMNS}, types = {{'county14': 'VARCHAR', 'state': 'VARCHAR', "
        "'placefp14': 'VARCHAR', 'placefp': 'VARCHAR', 'AFACT2': 'VARCHAR'}",
        provenance=GEOCORR,
    ),
    SourceFile(
        table="geo_county_place_2022",
        path="geography/geocorr2022_county_place_2022_onwards.csv",
        group=GROUP,
        description="Geocorr 2022 county-to-place allocation factors for 2022 onwards.",
        select=f"* replace ({pad('countyfip', 5)} as countyfip, {pad('state', 2)} as state, "
        f"{pad('place', 5)} as place)",
        read_options=CSV + ", types = {'countyfip': 'VARCHAR', 'state': 'VARCHAR', 'place': 'VARCHAR'}",
        provenance=GEOCORR,
    ),
]

sources = SourceGroup("geography", SOURCES)
