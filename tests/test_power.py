"""`mobility power` against statsmodels' power module and the design-effect formula."""

import math

import pytest
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from orchestration.analysts import cli
from orchestration.analysts.power import Design, binary_sd

CASES = [  # sd, effect, share treated, alpha, power
    (12.0, 3.0, 0.5, 0.05, 0.8),
    (1.0, 0.2, 0.3, 0.05, 0.9),
    (binary_sd(0.4), 0.05, 0.5, 0.01, 0.8),
]


@pytest.mark.parametrize("sd, effect, share, alpha, power", CASES)
def test_sample_matches_statsmodels_normal_power(sd, effect, share, alpha, power):
    total = Design(sd, share, alpha=alpha, power=power).total_sample(effect)
    # statsmodels: nobs1 is the treated arm, ratio = comparison / treated, effect in SD units.
    nobs1 = NormalIndPower().solve_power(effect_size=effect / sd, alpha=alpha, power=power, ratio=(1 - share) / share)
    assert total * share == pytest.approx(nobs1, rel=1e-4)  # statsmodels also counts the far tail (< 1e-4 here)


@pytest.mark.parametrize("sd, effect, share, alpha, power", CASES)
def test_mde_gives_the_requested_power(sd, effect, share, alpha, power):
    design = Design(sd, share, alpha=alpha, power=power)
    total = 2000
    achieved = NormalIndPower().power(effect_size=design.mde(total) / sd, nobs1=total * share, alpha=alpha,
                                      ratio=(1 - share) / share)
    assert achieved == pytest.approx(power, abs=1e-4)


def test_the_normal_approximation_is_close_to_the_t_test_at_pilot_sizes():
    # The t test needs about one participant more per arm at these sizes.
    nobs1 = TTestIndPower().solve_power(effect_size=0.25, alpha=0.05, power=0.8, ratio=1.0)
    ours = Design(1.0).total_sample(0.25) / 2
    assert nobs1 - 1.5 < ours < nobs1


def test_clustered_design_inflates_the_sample_by_the_design_effect():
    icc, m = 0.05, 20
    plain, clustered = Design(12.0), Design(12.0, icc=icc, cluster_size=m)
    assert clustered.design_effect == pytest.approx(1 + (m - 1) * icc)
    assert clustered.total_sample(3.0) == pytest.approx(plain.total_sample(3.0) * 1.95)
    assert clustered.mde(2000) == pytest.approx(plain.mde(2000) * math.sqrt(1.95))


def test_the_command_prints_per_arm_samples_and_the_mde(capsys):
    assert cli.main(["power", "--base-rate", "0.4", "--effect", "0.05"]) == 0
    out = capsys.readouterr().out
    per_arm = math.ceil(Design(binary_sd(0.4)).total_sample(0.05) / 2)
    assert f"{per_arm:,} treated and {per_arm:,} in the comparison group" in out
    assert cli.main(["power", "--sd", "12", "--sample", "2000", "--icc", "0.05", "--cluster-size", "20"]) == 0
    assert f"{Design(12.0, icc=0.05, cluster_size=20).mde(2000):.4g}" in capsys.readouterr().out


def test_impossible_designs_are_refused_with_the_rule(capsys):
    assert cli.main(["power", "--base-rate", "1.4", "--effect", "0.05"]) == 2
    assert "base rate lies strictly between 0 and 1" in capsys.readouterr().out
    assert cli.main(["power", "--sd", "5", "--effect", "1", "--share-treated", "1"]) == 2
    assert "share treated" in capsys.readouterr().out
