"""The brief's first screen: one sentence that says what matters, and three figures, each with its
plain meaning, its interval (or that none is published), its years, dollar year, source and
quality flag."""

from dataclasses import dataclass

from orchestration.analysts.brief.city import City
from orchestration.analysts.brief.i18n import Lang, step_for
from orchestration.analysts.brief.urban import metrics


@dataclass
class Figure:
    value: str
    meaning: str
    interval: str
    source: str
    quality: str = ""  # said only when the source flags the figure as marginal or poor


@dataclass
class Headline:
    sentence: str
    figures: list[Figure]


ATLAS = """
select outcome, estimate, pctl_national, quality
from marts.city_mobility
where city_geoid = ? and race = 'pooled' and gender = 'pooled' and parent_pctile = 25
  and outcome in ('household_income_at_35_p25', 'share_top20_p25') and estimate is not null
"""



def quality_note(t: Lang, quality: int | None) -> str:
    return t(f"quality.{quality}") if quality in (2, 3) else ""


def ranking(t: Lang, pctl: float | None) -> str:
    """Where the place stands among the large US cities, in words."""
    if pctl is None:
        return ""
    if pctl >= 50:
        return t("headline.more_than", share=min(round(pctl), 99))
    return t("headline.less_than", share=min(round(100 - pctl), 99))


def headline(con, city: City, t: Lang) -> Headline:
    atlas = {row[0]: row[1:] for row in con.execute(ATLAS, [city.geoid]).fetchall()}
    figures = []
    income = atlas.get("household_income_at_35_p25")
    if income:
        estimate, pctl, quality = income
        sentence = t("headline.sentence", city=city.name, value=t.dollars(estimate), ranking=ranking(t, pctl))
        figures.append(Figure(t.dollars(estimate), t("headline.income_meaning") + ranking(t, pctl) + ".",
                              t("headline.no_interval"), t("source.atlas"), quality_note(t, quality)))
    else:
        sentence = t("headline.sentence_none", city=city.name)
    top = atlas.get("share_top20_p25")
    if top:
        estimate, pctl, quality = top
        figures.append(Figure(t.percent(estimate), t("headline.top20_meaning") + ranking(t, pctl) + ".",
                              t("headline.no_interval"), t("source.atlas"), quality_note(t, quality)))
    today = [r for r in metrics(con, city.geoid, names=("pctl_income_20",)) if r["subgroup_type"] == "all"]
    if today:
        year, value, lb, ub, quality, peer, count_peers, exceeds = (today[0][k] for k in (
            "year", "value", "lb", "ub", "quality", "peer_median", "count_peers", "exceeds"))
        interval = t.interval(t.dollars, value, lb, ub) if lb is not None else t("headline.no_interval")
        meaning = t("headline.income20_meaning", year=year)
        if peer is not None:
            said = t.compared(value, peer, exceeds, t.dollars, t("words.peer_median", count=count_peers))
            meaning += " " + said[0].upper() + said[1:] + "."
        figures.append(Figure(t.dollars(value, step_for(value, lb, ub)), meaning, interval, t("source.urban_income", year=year),
                              quality_note(t, quality)))
    return Headline(sentence, figures)
