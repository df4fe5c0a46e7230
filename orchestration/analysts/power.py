"""`mobility power`: how many participants a pilot needs, or the smallest effect it can detect.

For a city designing a pilot. Two arms compared by a two-sided test at level alpha; the
standard error of the difference is sd * sqrt(deff / (N * P * (1 - P))), with N participants,
a share P treated and the design effect deff = 1 + (m - 1) * ICC when whole groups of m are
assigned (Donner and Klar; J-PAL, "Power calculations"). The minimum detectable effect is
(z(1 - alpha/2) + z(power)) times that standard error (Bloom 1995). A yes/no outcome's SD is
sqrt(p (1 - p)) at its base rate p. Normal approximation, as statsmodels' NormalIndPower.
Standard library only: the analysts' command loads neither Dagster nor dbt.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from statistics import NormalDist

Z = NormalDist()


@dataclass(frozen=True)
class Design:
    sd: float  # the outcome's standard deviation (in its unit)
    share_treated: float = 0.5
    icc: float = 0.0  # intra-cluster correlation, when whole groups are assigned
    cluster_size: int = 1
    alpha: float = 0.05
    power: float = 0.8

    def __post_init__(self):
        rules = [(self.sd > 0, "the outcome's SD (or base rate) must be positive"),
                 (0 < self.share_treated < 1, "the share treated lies strictly between 0 and 1"),
                 (0 <= self.icc < 1, "the ICC lies in [0, 1)"),
                 (self.cluster_size >= 1, "the cluster size is at least 1"),
                 (0 < self.alpha < 1, "alpha lies strictly between 0 and 1"),
                 (0 < self.power < 1, "power lies strictly between 0 and 1")]
        broken = [rule for ok, rule in rules if not ok]
        if broken:
            raise ValueError("; ".join(broken))

    @property
    def design_effect(self) -> float:
        return 1 + (self.cluster_size - 1) * self.icc

    @property
    def multiplier(self) -> float:
        return Z.inv_cdf(1 - self.alpha / 2) + Z.inv_cdf(self.power)

    def total_sample(self, effect: float) -> float:
        """Participants needed in all (not rounded) to detect `effect` (in the outcome's unit)."""
        if effect == 0:
            raise ValueError("the effect to detect must not be zero")
        return (self.multiplier * self.sd / effect) ** 2 * self.design_effect / (self.share_treated * (1 - self.share_treated))

    def mde(self, total: int) -> float:
        """The smallest effect (in the outcome's unit) detectable with `total` participants."""
        if total < 2:
            raise ValueError("the sample must hold at least 2 participants")
        return self.multiplier * self.sd * math.sqrt(self.design_effect / (total * self.share_treated * (1 - self.share_treated)))


def binary_sd(base_rate: float) -> float:
    if not 0 < base_rate < 1:
        raise ValueError("the base rate lies strictly between 0 and 1")
    return math.sqrt(base_rate * (1 - base_rate))


def add_parser(commands) -> None:
    power = commands.add_parser("power", help="plan a pilot: participants needed, or the smallest detectable effect")
    spread = power.add_mutually_exclusive_group(required=True)
    spread.add_argument("--sd", type=float, help="the outcome's standard deviation, in its unit")
    spread.add_argument("--base-rate", type=float, help="a yes/no outcome's expected share in the comparison group (0-1)")
    goal = power.add_mutually_exclusive_group(required=True)
    goal.add_argument("--effect", type=float, help="the effect to detect, in the outcome's unit (a share for yes/no)")
    goal.add_argument("--sample", type=int, help="participants available in all: gives the smallest detectable effect")
    power.add_argument("--share-treated", type=float, default=0.5, help="share assigned to the pilot (default 0.5)")
    power.add_argument("--icc", type=float, default=0.0, help="intra-cluster correlation when groups are assigned (default 0)")
    power.add_argument("--cluster-size", type=int, default=1, help="participants per assigned group (default 1)")
    power.add_argument("--alpha", type=float, default=0.05, help="two-sided significance level (default 0.05)")
    power.add_argument("--power", type=float, default=0.8, help="probability of detecting the effect (default 0.8)")
    power.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        sd = args.sd if args.sd is not None else binary_sd(args.base_rate)
        design = Design(sd, args.share_treated, args.icc, args.cluster_size, args.alpha, args.power)
        if args.effect is not None:
            total = design.total_sample(args.effect)
            treated = math.ceil(total * design.share_treated)
            comparison = math.ceil(total * (1 - design.share_treated))
            if design.cluster_size > 1:
                treated = math.ceil(treated / design.cluster_size) * design.cluster_size
                comparison = math.ceil(comparison / design.cluster_size) * design.cluster_size
            print(f"participants needed: {treated:,} treated and {comparison:,} in the comparison group "
                  f"({treated + comparison:,} in all)")
        else:
            print(f"smallest detectable effect: {design.mde(args.sample):.4g} (in the outcome's unit)")
    except ValueError as error:
        print(f"mobility power: {error}")
        return 2
    print(f"at {design.power:.0%} power, two-sided alpha {design.alpha:g}, {design.share_treated:.0%} treated, "
          f"outcome SD {sd:.4g}, design effect {design.design_effect:.3g}"
          + (f" (ICC {design.icc:g}, groups of {design.cluster_size})" if design.cluster_size > 1 else ""))
    return 0
