"""Numbers in plain language: "about", "between ... and ..." and "not distinguishable from zero"
wherever the interval calls for it."""


def dollars(value: float) -> str:
    return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.2f}"


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def points(share: float) -> str:
    """A difference of two shares, in percentage points."""
    return f"{share * 100:.1f} percentage points"


def number(value: float) -> str:
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def ordinal(value: float) -> str:
    n = int(round(value))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def about(value: float, fmt, lb: float | None = None, ub: float | None = None) -> str:
    """"about X", and "(between L and U)" when a 95% interval exists."""
    if lb is None or ub is None:
        return f"about {fmt(value)}"
    return f"about {fmt(value)} (between {fmt(lb)} and {fmt(ub)})"


def change(effect: float, lb: float, ub: float, fmt, what: str) -> str:
    """An estimated effect on `what` with its 95% interval, in words."""
    if lb <= 0 <= ub:
        return (f"its effect on {what} is not distinguishable from zero "
                f"(the 95% interval runs from {fmt(lb)} to {fmt(ub)})")
    verb = "raised" if effect > 0 else "lowered"
    low, high = sorted((abs(lb), abs(ub)))
    return f"it {verb} {what} by about {fmt(abs(effect))} (between {fmt(low)} and {fmt(high)})"


def compared(value: float, other: float, exceeds: bool | None, fmt, other_name: str) -> str:
    """The city against a comparison value, saying whether the gap is beyond the uncertainty."""
    if exceeds is None:
        side = "above" if value > other else "below"
        return f"{side} {other_name} ({fmt(other)}); no interval is published to say whether the gap is real"
    if not exceeds:
        return f"not distinguishable from {other_name} ({fmt(other)})"
    return f"{'above' if value > other else 'below'} {other_name} ({fmt(other)}), beyond the uncertainty"
