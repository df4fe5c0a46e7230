"""What users type never becomes SQL, no secret sits in the repository, and real uploads never
use the published development key. (Analysts' SQL refusals: tests/test_cli.py; the webserver's
address: tests/test_webserver.py.)"""

import hashlib
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.analysts.brief.city import find_city
from orchestration.analysts.export import copy
from orchestration.pilots import intake, privacy
from test_cli import mobility

HOSTILE = ["Tulsa'; drop table marts.city_mobility; --", "' or '1'='1", 'Tulsa"; drop table marts.dim_city; --',
           "4075000' union select * from duckdb_settings() --", "Tulsa\\'; checkpoint; --"]


def test_a_hostile_city_name_is_a_name_not_sql(built_warehouse, tmp_path):
    published = built_warehouse.parent / "mobility.duckdb"
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    done = mobility("brief", HOSTILE[0], "-o", str(tmp_path / "brief.html"))
    assert done.returncode == 1
    assert done.stderr.startswith(f"mobility brief: no place '{HOSTILE[0]}' with data in the published marts")
    assert list(tmp_path.iterdir()) == []
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before


@pytest.fixture
def writable_marts() -> duckdb.DuckDBPyConnection:
    """A read-write database, so that SQL built from a name could do harm if it ran."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.dim_city as select * from (values ('4075000', 'Tulsa', 'OK', 413066, 2023, "
                "['40143'], 'tulsa_career_education'), ('1616750', 'Coeur d''Alene', 'ID', 56332, 2023, ['16055'], "
                "null)) as c(city_geoid, city_name, state_abbr, population, population_year, county_geoids, pilot_name)")
    con.execute("create table marts.city_mobility as select '3901000' as city_geoid, 'Akron' as city_name, "
                "'OH' as state, true as is_reference_place")
    con.execute("create table marts.tract_opportunity as select '39153000100' as tract_geoid, '3901000' as city_geoid")
    con.execute("create table marts.city_indicators as select '3901000' as city_geoid, 'count_population' as metric, "
                "'all' as subgroup_type, 2023 as year, 188701.0 as value")
    return con


@pytest.mark.parametrize("name", HOSTILE)
def test_city_lookup_treats_any_name_as_data(writable_marts, name):
    with pytest.raises(LookupError, match="with data in the published marts"):
        find_city(writable_marts, name)
    assert writable_marts.execute("select count(*) from marts.city_mobility").fetchall() == [(1,)]
    assert writable_marts.execute("select count(*) from marts.dim_city").fetchall() == [(2,)]


def test_a_city_name_with_a_quote_is_found(writable_marts):
    assert find_city(writable_marts, "coeur d'alene, id").geoid == "1616750"
    akron = find_city(writable_marts, "Akron")  # beyond the registry: any place the marts know
    assert (akron.geoid, akron.county_geoids, akron.population, akron.is_registry) == ("3901000", ("39153",), 188701, False)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_writes_into_a_folder_whose_name_reads_like_sql(tmp_path, writable_marts, fmt):
    folder = tmp_path / "exports'; drop table marts.city_mobility; --"
    folder.mkdir()
    assert copy(writable_marts, "select city_name from marts.dim_city", folder / f"dim_city.{fmt}", fmt) == 2
    assert writable_marts.execute("select count(*) from marts.city_mobility").fetchall() == [(1,)]
    written = duckdb.connect().execute(f"select * from read_{fmt}(?) order by 1", [str(folder / f"dim_city.{fmt}")])
    assert written.fetchall() == [("Coeur d'Alene",), ("Tulsa",)]


# Key-like strings: each pattern starts with a literal, so a scan of every tracked file (about
# 65 MB, mostly bundled data) takes a second or two. They run on the lower-cased text.
KEY_LIKE = [re.compile(pattern) for pattern in (
    rb"akia[0-9a-z]{16}",  # AWS access key id
    rb"-----begin [a-z ]*private key-----",  # PEM private key
    rb"gh[pousr]_[0-9a-z]{36}",  # GitHub token
    rb"xox[abprs]-[0-9a-z-]{10,}",  # Slack token
    rb"aiza[0-9a-z_-]{35}",  # Google API key
    rb"sk-[0-9a-z]{32,}",  # API secret key
)] + [re.compile(re.escape(name) + rb"[\"']?[ \t]*[:=][ \t]*[\"'][^\s\"'/]{12,}[\"']")  # NAME = "value"
      for name in (b"_key", b"apikey", b"secret", b"token", b"password", b"passwd")]
# Published on purpose (docs/pilot-data-contract.md, "Running with real uploads"): it only ever pseudonymises the
# bundled synthetic pilots, and real uploads refuse it.
ALLOWED = {privacy.DEVELOPMENT_KEY.encode()}


def key_like(text: bytes) -> list[tuple[int, bytes]]:
    lower = text.lower()
    found = [(text.count(b"\n", 0, m.start()) + 1, text[m.start():m.end()]) for p in KEY_LIKE for m in p.finditer(lower)]
    return [(line, match) for line, match in found if not any(allowed in match for allowed in ALLOWED)]


# Written in pieces, so that this file holds no key-like string itself.
@pytest.mark.parametrize("planted", [b"AKIA" + b"Q" * 16, b"-----BEGIN RSA " + b"PRIVATE KEY-----",
                                     b"ghp_" + b"a1" * 18, b'CENSUS_API_KEY = "' + b"0f" * 20 + b'"',
                                     b"MOBILITY_PII_KEY: '" + b"s3cr3t" * 3 + b"'"])
def test_the_scan_finds_a_planted_key(planted):
    assert [line for line, _ in key_like(b"# settings\n" + planted + b"\n")] == [2]


def test_no_key_or_secret_is_in_the_repository():
    names = subprocess.run(["git", "ls-files", "-z"], cwd=settings.REPO_ROOT, capture_output=True, check=True).stdout
    findings = []
    for name in filter(None, names.decode().split("\0")):
        data = (settings.REPO_ROOT / name).read_bytes()
        if b"\0" not in data[:8000]:  # text files only
            findings += [f"{name}:{line}: {match[:60]!r}" for line, match in key_like(data)]
    assert findings == []
    # The one key in the repository is seen by the scan, and passes only as the allowed value.
    privacy_module = (settings.REPO_ROOT / "orchestration/pilots/privacy.py").read_bytes().lower()
    assert any(p.search(privacy_module) for p in KEY_LIKE)


def test_real_uploads_refuse_the_published_development_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MOBILITY_HOME", str(tmp_path))
    monkeypatch.setenv(privacy.KEY_ENV, privacy.DEVELOPMENT_KEY)
    folder = intake.landing_dir("3915000")
    folder.mkdir(parents=True)
    upload = folder / "participants_2025-03.csv"
    upload.write_text("pilot_id,participant_id\ncincinnati_workforce,C-1\n", encoding="utf-8")
    with pytest.raises(privacy.MissingKeyError, match="set to the published development key; real uploads need a secret"):
        intake.process_city("3915000", include_bundled=False)
    assert upload.exists() and not (tmp_path / "archive").exists()
    assert privacy.pii_key(synthetic=True) == privacy.DEVELOPMENT_KEY.encode()
