"""The brief's words in each language: a message catalogue per language (`messages/<lang>.json`,
one key per fixed text, `{name}` for what is filled in), and numbers, money and dates formatted
for the language's US locale by Babel (CLDR).

Figures are rounded to what their uncertainty supports: to a step about a quarter of the 95%
interval's width, or to three significant digits where no interval is published."""

import json
from datetime import date
from functools import cache
from math import floor, log10
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"en": "en_US", "es": "es_US"}
CATALOGUES = Path(__file__).parent / "messages"


@cache
def catalogue(code: str) -> dict[str, str]:
    return json.loads((CATALOGUES / f"{code}.json").read_text(encoding="utf-8"))


def step_for(value: float, lb: float | None = None, ub: float | None = None, finest: float = 0.0) -> float:
    """The rounding step the uncertainty supports (never finer than `finest`)."""
    if lb is not None and ub is not None and ub > lb:
        step = 10 ** floor(log10((ub - lb) / 4) + 1e-9)
    elif value:
        step = 10 ** (floor(log10(abs(value))) - 2)  # three significant digits
    else:
        step = 1.0
    return max(step, finest)


def rounded(value: float, step: float) -> float:
    result = round(float(value) / step) * step
    return 0.0 if result == 0 else result  # never "-0"


def decimals(step: float) -> int:
    return max(0, -floor(log10(step) + 1e-9))


class Lang:
    """A language: `t(key, **values)` gives a fixed text; the rest format figures."""

    def __init__(self, code: str = "en"):
        if code not in LOCALES:
            raise LookupError(f"no brief language '{code}'; languages: {', '.join(LOCALES)}")
        self.code, self.locale, self.messages = code, LOCALES[code], catalogue(code)

    def __call__(self, key: str, **values) -> str:
        return self.messages[key].format(**values)

    def label(self, group: str, code: str, fallback: str | None = None) -> str:
        """A data value's name (a metric, an outcome, a race) from the catalogue's `group.code`."""
        key = f"{group}.{code}"
        if key in self.messages:
            return self.messages[key]
        return fallback if fallback is not None else code.replace("_", " ")

    def number(self, value: float, step: float | None = None) -> str:
        step = step or step_for(value, finest=1 if abs(value) >= 100 else 0.1)
        places = decimals(step)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(rounded(value, step), format=pattern, locale=self.locale)

    def dollars(self, value: float, step: float | None = None) -> str:
        step = max(step or step_for(value), 1)
        return format_currency(rounded(value, step), "USD", format="¤#,##0", currency_digits=False, locale=self.locale)

    def percent(self, share: float, step: float | None = None) -> str:
        """A share 0-1 as a percentage; `step` is in shares (0.01 = one point)."""
        step = max(step or 0.01, 0.001)
        places = decimals(step * 100)
        pattern = self.percent_pattern().replace("#,##0", "#,##0" + ("." + "0" * places if places else ""))
        return format_percent(rounded(share, step), format=pattern, locale=self.locale)

    def percent_pattern(self) -> str:
        from babel import Locale

        return Locale.parse(self.locale).percent_formats[None].pattern

    def points(self, share: float, step: float | None = None) -> str:
        """A difference of two shares, in percentage points."""
        return self("unit.points", value=self.number(share * 100, (step or 0.01) * 100 if step else 1))

    def date(self, day: date) -> str:
        return format_date(day, "long", locale=self.locale)

    def formatter(self, unit: str):
        """The formatting function for a unit the marts name."""
        return {"dollars": self.dollars, "share 0-1": self.percent, "share": self.percent}.get(unit, self.number)

    def interval(self, fmt, value: float, lb: float | None, ub: float | None) -> str:
        """"about X (between L and U)", each rounded to the step the interval supports."""
        step = step_for(value, lb, ub, finest=0.001 if fmt == self.percent else 0)
        if lb is None or ub is None:
            return self("words.about", value=fmt(value, step_for(value) if fmt != self.percent else 0.01))
        return self("words.about_between", value=fmt(value, step), lb=fmt(lb, step), ub=fmt(ub, step))

    def change(self, effect: float, lb: float, ub: float, fmt, what: str) -> str:
        """An estimated effect on `what` with its 95% interval, in words."""
        step = step_for(effect, lb, ub)
        if lb <= 0 <= ub:
            return self("words.no_effect", what=what, lb=fmt(lb, step), ub=fmt(ub, step))
        low, high = sorted((abs(lb), abs(ub)))
        key = "words.raised" if effect > 0 else "words.lowered"
        return self(key, what=what, value=fmt(abs(effect), step), lb=fmt(low, step), ub=fmt(high, step))

    def compared(self, value: float, other: float, exceeds: bool | None, fmt, other_name: str) -> str:
        """The city against a comparison value, saying whether the gap is beyond the uncertainty."""
        shown = fmt(other)
        if exceeds is None:
            key = "words.above_no_interval" if value > other else "words.below_no_interval"
        elif not exceeds:
            key = "words.not_distinguishable"
        else:
            key = "words.above_beyond" if value > other else "words.below_beyond"
        return self(key, other=other_name, value=shown)
