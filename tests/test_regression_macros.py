"""The SQL regression macros (dbt_project/macros/regression) equal statsmodels.

`ols_coefficients` and `ols_fitted` run through real dbt (`dbt show --inline`, the macros called
inside a CTE as models call them) on generated data: several groups, regressors in dollars and
shares, WLS weights 1/se^2, clusters, rows with nulls, a group with collinear regressors and one
with no residual degrees of freedom. Every column is compared with statsmodels' OLS/WLS
(`fit(cov_type=...)`, `variance_inflation_factor`, the hat matrix diagonal, `get_prediction`) to
1e-6 relative. The same SQL runs on Spark (slow). A faster loop renders the macros without dbt
and checks 1 to 15 regressors against statsmodels.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor

from dbt_sql import render
from orchestration import settings

RTOL = 1e-6
ATOL = 1e-10
X3 = ["income", "share_poverty", "share_owner"]
X12 = X3 + [f"z{j}" for j in range(4, 13)]
# Groups: name -> rows. Detroit's share_owner is 1 - share_poverty (collinear with the
# intercept and share_poverty); Lansing has as many rows as parameters of the three-regressor
# fit (no residual degree of freedom).
GROUPS = {"cincinnati": 60, "dayton": 25, "detroit": 20, "lansing": 4}

# Case name -> the macro's arguments (besides relation and y) and the statsmodels fit.
COEFFICIENT_CASES = {
    **{f"ols_{cov}": dict(x=X3, cov_type=cov) for cov in ("nonrobust", "HC1", "HC2", "HC3")},
    "ols_cluster": dict(x=X3, cov_type="cluster", cluster="tract_county"),
    **{f"wls_{cov}": dict(x=X3, cov_type=cov, weight="precision") for cov in ("nonrobust", "HC1", "HC2", "HC3")},
    "wls_cluster": dict(x=X3, cov_type="cluster", weight="precision", cluster="tract_county"),
    "wls_HC3_twelve_regressors": dict(x=X12, cov_type="HC3", weight="precision"),
    "ols_HC2_one_regressor": dict(x=["share_poverty"], cov_type="HC2"),
    "ols_HC1_no_intercept": dict(x=X3, cov_type="HC1", intercept=False),
    "wls_cluster_no_intercept": dict(x=X3, cov_type="cluster", weight="precision", cluster="tract_county", intercept=False),
}
FITTED_CASES = {
    "ols": dict(x=X3),
    "wls": dict(x=X3, weight="precision"),
    "ols_no_intercept": dict(x=["income", "share_poverty"], intercept=False),
}


def generated_rows(seed: int = 20261206) -> pd.DataFrame:
    """Tracts of four places: income in dollars, shares 0-1, an outcome in dollars whose noise
    grows with poverty, its standard error (weights 1/se^2), counties as clusters; some nulls."""
    rng = np.random.default_rng(seed)
    frames = []
    for area, n in GROUPS.items():
        share_poverty = rng.beta(2, 6, n)
        frame = pd.DataFrame({
            "area": area,
            "income": rng.normal(52_000, 14_000, n).round(0),
            "share_poverty": share_poverty,
            "share_owner": np.clip(0.7 - 0.6 * share_poverty + rng.normal(0, 0.1, n), 0, 1),
            "outcome_se": rng.uniform(400, 3_000, n),
            "tract_county": rng.integers(1, 8, n),
        })
        for j in range(4, 13):
            frame[f"z{j}"] = rng.normal(10 ** (j % 4), 1 + j, n)
        noise = rng.normal(0, 1, n) * (1_500 + 6_000 * share_poverty)
        frame["outcome"] = (18_000 + 0.35 * frame.income - 21_000 * frame.share_poverty
                            + 4_000 * frame.share_owner + 30 * frame.z5 + noise)
        if area == "detroit":
            frame["share_owner"] = 1 - frame.share_poverty
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    rows["precision"] = 1 / rows.outcome_se ** 2
    rows.insert(0, "row_id", range(1, len(rows) + 1))
    # Rows every fit leaves out: a missing outcome, regressor, weight or cluster.
    for row, column in zip(range(3, 7), ["outcome", "share_poverty", "precision", "tract_county"]):
        rows[column] = rows[column].astype(object)
        rows.loc[row, column] = None
    return rows


def values_sql(rows: pd.DataFrame) -> str:
    """The rows as an inline table: doubles as 1.0e+00 literals (doubles on DuckDB and Spark)."""
    def literal(value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "null"
        if isinstance(value, str):
            return f"'{value}'"
        if isinstance(value, (int, np.integer)):
            return str(int(value))
        return f"{float(value):.17e}"

    tuples = ",\n".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows.itertuples(index=False))
    return f"select * from (values\n{tuples}\n) as tracts ({', '.join(rows.columns)})"


def call(macro: str, arguments: dict) -> str:
    rendered = ", ".join(f"{name}={value!r}" for name, value in arguments.items())
    return f"{{{{ {macro}('analysis_rows', y='outcome', group_by=['area'], {rendered}) }}}}"


def coefficients_sql(rows: pd.DataFrame) -> str:
    ctes = ",\n".join(f"{name} as (\n{call('ols_coefficients', arguments)}\n)" for name, arguments in COEFFICIENT_CASES.items())
    selects = "\nunion all\n".join(
        f"select '{name}' as case_name, area, term, estimate, std_error, count_obs, count_params, df_resid, "
        f"r_squared, rmse, vif, {'count_clusters' if 'cluster' in arguments else 'cast(null as bigint)'} as count_clusters "
        f"from {name}" for name, arguments in COEFFICIENT_CASES.items())
    return f"with analysis_rows as ({values_sql(rows)}),\n{ctes}\n{selects}"


def fitted_sql(rows: pd.DataFrame) -> str:
    ctes = ",\n".join(f"{name} as (\n{call('ols_fitted', {**arguments, 'id_columns': ['row_id']})}\n)"
                      for name, arguments in FITTED_CASES.items())
    selects = "\nunion all\n".join(f"select '{name}' as case_name, * from {name}" for name in FITTED_CASES)
    return f"with analysis_rows as ({values_sql(rows)}),\n{ctes}\n{selects}"


def dbt_show(sql: str, home: Path, engine: str) -> pd.DataFrame:
    """The rows of `dbt show --inline` on the project, in a home of its own, on `engine`."""
    dbt = Path(sys.executable).parent / "dbt"
    project = str(settings.DBT_PROJECT_DIR)
    env = {**os.environ, "MOBILITY_HOME": str(home), "MOBILITY_ENGINE": engine, "DBT_TARGET_PATH": str(home / "target")}
    result = subprocess.run(
        [str(dbt), "show", "--inline", sql, "--limit", "-1", "--output", "json", "--log-format", "json",
         "--project-dir", project, "--profiles-dir", project],
        env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    [preview] = [e["data"]["preview"] for e in events if e["info"]["name"] == "ShowNode"]
    return pd.DataFrame(json.loads(preview))


def model_of(rows: pd.DataFrame, x: list[str], weight=None, intercept=True, cluster=None):
    """statsmodels' model of the rows the macros use (none of y, x, weight or cluster missing)."""
    needed = ["outcome", *x] + ([weight] if weight else []) + ([cluster] if cluster else [])
    used = rows.dropna(subset=needed)
    exog = used[x].astype(float)
    if intercept:
        exog = sm.add_constant(exog, has_constant="add")
    endog = used.outcome.astype(float)
    model = sm.WLS(endog, exog, weights=used[weight].astype(float)) if weight else sm.OLS(endog, exog)
    return used, exog, model


def fitted_with(model, used: pd.DataFrame, cov_type="nonrobust", cluster=None):
    kwargs = {"cov_kwds": {"groups": used[cluster].astype(int)}} if cov_type == "cluster" else {}
    return model.fit(cov_type=cov_type, **kwargs)


def estimable(exog: pd.DataFrame) -> bool:
    """Full column rank and at least one residual degree of freedom."""
    return len(exog) > exog.shape[1] and np.linalg.matrix_rank(exog.to_numpy()) == exog.shape[1]


def assert_close(found, expected, what: str) -> None:
    found = np.array([np.nan if v is None else v for v in found], dtype=float)
    expected = np.asarray(expected, dtype=float)
    np.testing.assert_allclose(found, expected, rtol=RTOL, atol=ATOL, err_msg=what)


def hat_diagonal(model) -> np.ndarray:
    """The hat matrix diagonal: statsmodels' OLS influence, for WLS on the whitened problem
    (its diagonal w x'(X'WX)^-1 x, the leverage statsmodels' HC2/HC3 use)."""
    whitened = sm.OLS(model.wendog, model.wexog).fit()
    return whitened.get_influence().hat_matrix_diag


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return generated_rows()


ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.slow)]


@pytest.fixture(scope="module", params=ENGINES)
def shown(request, rows, tmp_path_factory):
    """(engine, coefficients, fitted): every case's output, from one dbt run each."""
    home = tmp_path_factory.mktemp(f"regression-{request.param}")
    coefficients = dbt_show(coefficients_sql(rows), home, request.param)
    fitted = dbt_show(fitted_sql(rows), home, request.param)
    return request.param, coefficients, fitted


@pytest.mark.parametrize("case", COEFFICIENT_CASES)
def test_coefficients_equal_statsmodels(shown, rows, case):
    _, coefficients, _ = shown
    arguments = COEFFICIENT_CASES[case]
    x, intercept = arguments["x"], arguments.get("intercept", True)
    terms = (["intercept"] if intercept else []) + x
    columns = ["term", "estimate", "std_error", "count_obs", "count_params", "df_resid", "r_squared", "rmse", "vif", "count_clusters"]
    for area in GROUPS:
        found = coefficients[(coefficients.case_name == case) & (coefficients.area == area)].set_index("term")
        assert sorted(found.index) == sorted(terms), (case, area)
        found = found.loc[terms]
        used, exog, model = model_of(rows[rows.area == area], x, arguments.get("weight"), intercept, arguments.get("cluster"))
        n, p = len(used), len(terms)
        assert (found.count_obs == n).all() and (found.count_params == p).all() and (found.df_resid == n - p).all()
        if "cluster" in arguments:
            assert (found.count_clusters == used[arguments["cluster"]].nunique()).all()
        what = f"{case} {area}"
        if not estimable(exog):  # collinear, or no residual df: nothing estimated, no error
            assert found[["estimate", "std_error", "r_squared", "rmse", "vif"]].isna().all().all(), what
            continue
        result = fitted_with(model, used, arguments["cov_type"], arguments.get("cluster"))
        assert_close(found.estimate, result.params, f"{what} estimate")
        assert_close(found.std_error, result.bse, f"{what} std_error")
        assert_close(found.r_squared.unique(), [result.rsquared], f"{what} r_squared")
        assert_close(found.rmse.unique(), [math.sqrt(result.mse_resid)], f"{what} rmse")
        design = exog.to_numpy()
        first = 1 if intercept else 0
        assert found.vif.iloc[:first].isna().all()
        assert_close(found.vif.iloc[first:], [variance_inflation_factor(design, j) for j in range(first, p)], f"{what} vif")


@pytest.mark.parametrize("case", FITTED_CASES)
def test_fitted_values_equal_statsmodels(shown, rows, case):
    _, _, fitted = shown
    arguments = FITTED_CASES[case]
    x, weight, intercept = arguments["x"], arguments.get("weight"), arguments.get("intercept", True)
    found = fitted[fitted.case_name == case].set_index("row_id")
    assert sorted(found.index) == sorted(rows.row_id)  # one row per input row
    for area in GROUPS:
        group = rows[rows.area == area]
        used, exog, model = model_of(group, x, weight, intercept)
        here = found.loc[used.row_id]
        what = f"{case} {area}"
        assert_close(here.observed, used.outcome.astype(float), f"{what} observed")
        if not estimable(exog):
            assert here[["fitted", "residual", "leverage", "prediction_se"]].isna().all().all(), what
            continue
        result = fitted_with(model, used)
        assert_close(here.fitted, result.fittedvalues, f"{what} fitted")
        assert_close(here.residual, result.resid, f"{what} residual")
        assert_close(here.leverage, hat_diagonal(model), f"{what} leverage")
        weights = used[weight].astype(float) if weight else 1.0
        prediction = result.get_prediction(exog, weights=weights)
        assert_close(here.prediction_se, prediction.se_obs, f"{what} prediction_se")
    # Rows left out of the fit: no observed value, or no regressor, get no residual.
    left_out = found.loc[rows.row_id[rows.outcome.isna() | rows.share_poverty.isna()]]
    assert left_out.residual.isna().all()


def test_a_row_with_leverage_one_leaves_hc2_and_hc3_undefined():
    """A dummy that marks one row fits that row exactly (leverage 1, residual 0): HC2 and HC3
    divide 0 by 0 there (statsmodels returns rounding noise), the macros give null; HC1 is
    still defined and equal."""
    rng = np.random.default_rng(7)
    n = 12
    frame = pd.DataFrame({"area": "tulsa", "outcome": rng.normal(0.4, 0.1, n), "share_poverty": rng.uniform(0, 1, n),
                          "is_downtown": [1.0] + [0.0] * (n - 1)})
    x = ["share_poverty", "is_downtown"]
    with duckdb.connect() as con:
        con.register("analysis_rows", frame)
        for cov_type in ("HC1", "HC2", "HC3"):
            sql = render(f"{{{{ ols_coefficients('analysis_rows', y='outcome', x={x!r}, group_by=['area'], cov_type='{cov_type}') }}}}")
            found = con.execute(f"select * from ({sql}) order by term = 'intercept' desc, term").df()
            result = sm.OLS(frame.outcome, sm.add_constant(frame[x])).fit(cov_type=cov_type)
            assert result.get_influence().hat_matrix_diag[0] == pytest.approx(1, abs=1e-12)
            expected_order = ["intercept", "is_downtown", "share_poverty"]
            assert list(found.term) == expected_order
            assert_close(found.estimate, result.params[["const", "is_downtown", "share_poverty"]], cov_type)
            if cov_type == "HC1":
                assert_close(found.std_error, result.bse[["const", "is_downtown", "share_poverty"]], cov_type)
            else:
                assert found.std_error.isna().all(), cov_type


@pytest.mark.parametrize("k", range(1, 16))
def test_up_to_fifteen_regressors_equal_statsmodels(k):
    """Rendered without dbt and run in DuckDB: k regressors of mixed scales (some correlated),
    WLS with HC3, estimates, standard errors and VIF within 1e-6 of statsmodels."""
    rng = np.random.default_rng(k)
    n = 40 + 4 * k
    base = rng.normal(0, 1, (n, k))
    design = base + 0.6 * base[:, [0]]  # correlated with the first regressor
    scales = 10.0 ** rng.integers(-2, 5, k)  # shares to dollars
    design = (design + rng.uniform(0, 30, k)) * scales  # means up to 30 standard deviations
    names = [f"x{j}" for j in range(1, k + 1)]
    frame = pd.DataFrame(design, columns=names)
    frame["weight"] = rng.uniform(0.2, 5, n)
    frame["outcome"] = (design / design.std(0)) @ rng.normal(0, 1, k) + rng.normal(0, 1, n)
    sql = render(f"{{{{ ols_coefficients('analysis_rows', y='outcome', x={names!r}, cov_type='HC3', weight='weight') }}}}")
    with duckdb.connect() as con:
        con.register("analysis_rows", frame)
        found = con.execute(sql).df().set_index("term").loc[["intercept", *names]]
    exog = sm.add_constant(frame[names])
    result = sm.WLS(frame.outcome, exog, weights=frame.weight).fit(cov_type="HC3")
    assert_close(found.estimate, result.params, "estimate")
    assert_close(found.std_error, result.bse, "std_error")
    assert_close(found.vif[1:], [variance_inflation_factor(exog.to_numpy(), j) for j in range(1, k + 1)], "vif")
