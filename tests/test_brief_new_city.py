"""A city added by the README's steps (one registry row, no pilot) passes every check, is published,
and gets the registry's brief: its county's estimates, its neighbourhoods without an outline that
is not bundled, and no pilot section."""

from quality_scenarios import home_from, run_downstream_of, seed_text, seeds_with

from orchestration.analysts.brief import render
from test_brief import text_of

AKRON = "3901000,Akron,OH,39,39153,,\n"  # Summit County; the pilot columns left empty


def test_a_city_without_a_pilot_builds_and_gets_its_brief(built_warehouse, tmp_path, monkeypatch):
    home = home_from(built_warehouse, tmp_path)
    monkeypatch.setenv("MOBILITY_HOME", str(home))
    monkeypatch.setenv("MOBILITY_SOURCE_DIR", str(seeds_with(tmp_path, "city_registry.csv",
                                                             seed_text("city_registry.csv") + AKRON)))

    outcome = run_downstream_of("city_registry", home)

    failed = {key: c.description for key, c in outcome.checks.items() if not c.passed and c.severity.value == "ERROR"}
    assert failed == {} and outcome.failures == []
    assert {"raw/city_registry", "marts/dim_city", "publish"} <= outcome.materialized
    akron, html = render("Akron")
    assert (akron.is_registry, akron.county_geoids, akron.pilot_name) == (True, ("39153",), None)
    shown = text_of(html)
    assert "Summit County: official estimates, with incarceration" in shown
    assert "No city boundary is bundled for this place, so none is drawn." in shown
    assert "The outline is the city boundary" not in shown
    assert 'id="pilot"' not in html and 'class="synthetic"' not in html
