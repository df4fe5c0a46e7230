"""City briefs: the numbers they state are the marts' (hand-checked), said with their uncertainty;
the page is self-contained; sections are modules found by themselves."""

import re
from html import unescape

import pytest

from orchestration.analysts import brief
from orchestration.analysts.brief import render, section_modules
from orchestration.analysts.brief.words import about, change, compared, dollars, percent, points


def summary(html: str) -> list[str]:
    block = re.search(r'<section class="summary">.*?<ul>(.*?)</ul>', html, re.S).group(1)
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", block)]


@pytest.fixture(scope="module")
def tulsa(built_warehouse) -> str:
    return render("Tulsa")[1]


def test_summary_states_the_marts_numbers_with_their_uncertainty(tulsa):
    assert summary(tulsa) == [
        "Children from low-income families who grew up in Tulsa reach about the 43rd percentile of the national "
        "income distribution at about 35, higher than 30% of large US cities.",
        "Among children from low-income families, White children reach about 6 percentile points higher on the "
        "national ladder than Black children.",
        "In Tulsa County, the official estimate for all children is about 39.6 (between 39.3 and 40.0) on the "
        "household income ladder.",
        "Across Tulsa's neighbourhoods, expected household income at 35 for children of low-income families ranges "
        "from about $16,287 in Lacy Park to about $65,378 in tract 40143007638.",
        "Household income at the 20th percentile (2023): about $25,590 (between $24,397 and $28,139), below the "
        "median of 101 similar-size cities ($30,993), beyond the uncertainty.",
        "Adults 25-54 who are employed (2023): about 80% (between 78% and 82%), not distinguishable from the median "
        "of 101 similar-size cities (83%).",
        "Of StriveTogether's 7 cradle-to-career milestones, Tulsa has 1 measured, 3 measured by proxy and 3 not "
        "available.",
        "The Tulsa pilot (randomised trial): its effect on employed 90d is not distinguishable from zero (the 95% "
        "interval runs from -3.0 percentage points to 4.6 percentage points); evidence rating: no detectable effect "
        "(synthetic practice data).",
    ]


def test_a_clear_effect_is_said_with_its_interval(built_warehouse):
    detroit = summary(render("2622000")[1])  # by place GEOID
    assert detroit[-1] == ("The Detroit pilot (randomised trial): it lowered rent arrears dollars by about 576 "
                           "(between 494 and 657); evidence rating: strong (synthetic practice data).")


def test_page_is_self_contained_and_labels_synthetic_data(tulsa):
    assert "<script" not in tulsa and "<link" not in tulsa and "src=" not in tulsa and "url(" not in tulsa
    assert re.findall(r"https?://[^\"' ]+", tulsa) == ["http://www.w3.org/2000/svg"] * tulsa.count("<svg")
    # The notice opens the page and the pilot section, before any figure.
    assert tulsa.count('class="synthetic"') == 2
    assert tulsa.index('class="synthetic"') < tulsa.index('class="summary"')
    # Charts: 2 mobility, 1 map, 6 indicators, 4 cradle to career by race, 2 pilot monthly, 1 pilot impact.
    assert tulsa.count('<svg class="chart"') == 16
    # The map draws the bundled city boundary and one dot per tract with an estimate (122 in Tulsa).
    neighbourhoods = tulsa[tulsa.index("Neighbourhoods from lowest"):tulsa.index("Local conditions")]
    assert neighbourhoods.count("<polygon") >= 1 and neighbourhoods.count("<circle") == 122


def test_sections_can_be_chosen_and_unknown_names_are_refused(built_warehouse):
    _, html = render("Tulsa", ["pilot"])
    assert "Career education and job training" in html and "Neighbourhoods from lowest" not in html
    with pytest.raises(LookupError, match="no brief section tracts; sections: mobility, neighbourhoods, indicators, cradle, pilot"):
        render("Tulsa", ["tracts"])
    with pytest.raises(LookupError, match="no registry city 'Austin'; known: Cincinnati \\(3915000\\)"):
        render("Austin")


def test_a_new_section_is_one_more_module(built_warehouse, tmp_path, monkeypatch):
    (tmp_path / "tracts.py").write_text(
        "from orchestration.analysts.brief import Section\n"
        "NAME = 'tracts'\nORDER = 50\n"
        "def build(con, city):\n"
        "    n = con.execute('select count_tracts_2010 from marts.dim_city where city_geoid = ?', [city.geoid]).fetchone()[0]\n"
        "    return Section('Cradle to career', f'<p>{n} tracts</p>', [f'{city.name} has {n} tracts.'])\n"
    )
    from orchestration.analysts.brief import sections

    monkeypatch.setattr(sections, "__path__", [*sections.__path__, str(tmp_path)])
    assert list(section_modules()) == ["mobility", "neighbourhoods", "indicators", "cradle", "pilot", "tracts"]
    _, html = render("Racine", ["tracts"])
    assert summary(html) == ["Racine has 17 tracts."] and "<p>17 tracts</p>" in html


def test_cradle_to_career_states_milestones_in_order_with_coverage(built_warehouse):
    _, html = render("Cincinnati", ["cradle"])
    text = unescape(html)
    # Preschool enrolment 2023: 0.5212391167143449 published, 95% interval 0.43-0.61; peers 41%, nation 42%.
    assert ('<td>proxy</td><td class="n">2023</td><td class="n">52%</td><td class="n">43%–61%</td>'
            '<td class="n">41%</td><td class="n">42%</td>') in text
    assert text.index("nursery school or preschool") < text.index("grade 3 to grade 8") < text.index("high school degree")
    assert "White, Non-Hispanic minus Black, Non-Hispanic: about 0.29 (between 0.01 and 0.58), beyond the uncertainty" in text
    assert text.count('<svg class="chart"') == 4
    _, rochester = render("Rochester", ["cradle"])
    assert "<td>3rd-grade reading</td><td>not available</td>" in unescape(rochester)
    assert "rate_learning" not in rochester


def test_words_follow_the_interval():
    assert about(0.801, percent, 0.78, 0.82) == "about 80% (between 78% and 82%)"
    assert about(25590.4, dollars) == "about $25,590"
    assert change(0.008, -0.030, 0.046, points, "employment") == (
        "its effect on employment is not distinguishable from zero (the 95% interval runs from "
        "-3.0 percentage points to 4.6 percentage points)")
    assert change(-575.7, -657.3, -494.1, dollars, "rent arrears") == (
        "it lowered rent arrears by about $576 (between $494 and $657)")
    assert compared(0.80, 0.83, False, percent, "the peer median") == "not distinguishable from the peer median (83%)"
    assert compared(25590, 30993, True, dollars, "the peer median") == "below the peer median ($30,993), beyond the uncertainty"


def test_write_brief_names_the_file_after_the_city(built_warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = brief.write_brief("New Orleans")
    assert path.name == "brief_new_orleans.html"
    assert "Economic mobility in New Orleans, LA" in path.read_text(encoding="utf-8")
