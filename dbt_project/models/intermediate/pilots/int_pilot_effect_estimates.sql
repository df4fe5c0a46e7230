-- Effect estimates per pilot, outcome and subgroup, before small-cell suppression, on the
-- analytic sample: participants whose outcome was measured inside its follow-up window.
--
-- ancova (the headline where a baseline exists): OLS of the outcome on an intercept, the
--   treatment indicator and the baseline; the effect is the treatment coefficient.
-- difference_in_means: OLS on the treatment indicator alone (the plain difference).
-- gain_score: the same on each participant's change from baseline.
--   Standard errors are heteroskedasticity-robust HC2 (with one indicator, HC2 is exactly the
--   Welch standard error), or cluster-robust when the pilot assigned groups (cluster_id filled).
-- pre_post_change (pre-post designs, no comparison arm): mean change from baseline, paired
--   standard error s/sqrt(n), n - 1 degrees of freedom.
-- Intervals and p-values use Student's t with the residual degrees of freedom (clusters - 1
-- when clustered); see the student_t macros. Binary outcomes are linear probability models.
-- The samples are read by five queries, each for its own rows: not materialized (see the macro).
with pilots as (
    {{ pilots_to_build() }}
),

measured as {{ not_materialized() }} (
    select * from {{ ref('int_pilot_participant_outcomes') }}
    where is_due and outcome_value is not null and pilot_id in (select pilot_id from pilots)
),

subgroups as {{ not_materialized() }} (
    select *, 'all' as subgroup_type, 'all' as subgroup from measured
    union all
    select *, 'race_ethnicity', race_ethnicity from measured
    union all
    select *, 'gender', gender from measured
    union all
    select *, 'age_band', age_band from measured
    union all
    select *, 'home_opportunity_quintile', 'q' || cast(home_opportunity_quintile as {{ string_type() }})
    from measured
    where home_opportunity_quintile is not null
),

clustered_pilots as (
    select distinct pilot_id from measured where cluster_id is not null
),

-- Each estimate's sample and outcome: y is regressed on the treatment indicator (and the baseline).
samples as {{ not_materialized() }} (
    select pilot_id, outcome, subgroup_type, subgroup, 'ancova' as estimate_type, arm, treated, cluster_id,
        outcome_value as y, outcome_value, baseline_value, took_up
    from subgroups
    where design <> 'pre_post' and baseline_value is not null
    union all
    select pilot_id, outcome, subgroup_type, subgroup, 'difference_in_means', arm, treated, cluster_id,
        outcome_value, outcome_value, baseline_value, took_up
    from subgroups
    where design <> 'pre_post'
    union all
    select pilot_id, outcome, subgroup_type, subgroup, 'gain_score', arm, treated, cluster_id,
        outcome_value - baseline_value, outcome_value, baseline_value, took_up
    from subgroups
    where design <> 'pre_post' and baseline_value is not null
    union all
    select pilot_id, outcome, subgroup_type, subgroup, 'pre_post_change', arm, treated, cluster_id,
        outcome_value - baseline_value, outcome_value, baseline_value, took_up
    from subgroups
    where design = 'pre_post' and baseline_value is not null
),

-- Each fit on its own rows: ANCOVA on the treatment indicator and the baseline, the plain
-- difference and the gain score on the indicator alone; cluster-robust standard errors for the
-- pilots that assigned groups, HC2 for the others. Each row goes through one fit only.
{%- set fits = [
    ('ancova', ['treated', 'baseline_value'], "estimate_type = 'ancova'"),
    ('simple', ['treated'], "estimate_type in ('difference_in_means', 'gain_score')"),
] %}
{%- for name, x, rows in fits %}
{%- for clustered in [false, true] %}
{%- set fit = name ~ ('_clustered' if clustered else '_robust') %}

{{ fit }}_rows as (
    select * from samples
    where {{ rows }} and pilot_id {{ '' if clustered else 'not ' }}in (select pilot_id from clustered_pilots)
),

{{ fit }} as (
    {{ ols_coefficients(fit ~ '_rows', y='y', x=x,
                        group_by=['pilot_id', 'outcome', 'subgroup_type', 'subgroup', 'estimate_type'],
                        cov_type='cluster' if clustered else 'HC2', cluster='cluster_id' if clustered else none) }}
),
{%- endfor %}
{%- endfor %}

-- The treatment coefficient of each fit.
regressions as (
    {% for fit, clustered in [('ancova_robust', false), ('simple_robust', false),
                              ('ancova_clustered', true), ('simple_clustered', true)] %}
    select
        pilot_id, outcome, subgroup_type, subgroup, estimate_type, estimate, std_error,
        cast({{ 'count_clusters - 1' if clustered else 'df_resid' }} as double) as estimate_df,
        '{{ 'cluster' if clustered else 'HC2' }}' as se_type,
        {{ 'count_clusters' if clustered else 'cast(null as bigint)' }} as count_clusters
    from {{ fit }}
    where term = 'treated'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Arm counts, means and standard deviations of each sample (the outcome as measured, and the
-- baseline), and the take-up and its covariance with the outcome (for the Wald estimator).
by_arm as (
    select
        pilot_id, outcome, subgroup_type, subgroup, estimate_type,
        count(*) filter (where arm = 'treatment') as count_treatment,
        count(*) filter (where arm = 'comparison') as count_comparison,
        avg(outcome_value) filter (where arm = 'treatment') as mean_treatment,
        -- Pre-post: the "comparison" mean is the same participants' baseline.
        case when estimate_type = 'pre_post_change' then avg(baseline_value) filter (where arm = 'treatment')
             else avg(outcome_value) filter (where arm = 'comparison') end as mean_comparison,
        stddev_samp(outcome_value) filter (where arm = 'treatment') as sd_treatment,
        stddev_samp(outcome_value) filter (where arm = 'comparison') as sd_comparison,
        avg(baseline_value) filter (where arm = 'treatment') as baseline_mean_treatment,
        avg(baseline_value) filter (where arm = 'comparison') as baseline_mean_comparison,
        stddev_samp(baseline_value) filter (where arm = 'treatment') as baseline_sd_treatment,
        stddev_samp(baseline_value) filter (where arm = 'comparison') as baseline_sd_comparison,
        avg(took_up) filter (where arm = 'treatment') as take_up_treatment,
        avg(took_up) filter (where arm = 'comparison') as take_up_comparison,
        var_samp(took_up) filter (where arm = 'treatment') as take_up_variance_treatment,
        var_samp(took_up) filter (where arm = 'comparison') as take_up_variance_comparison,
        covar_samp(outcome_value, took_up) filter (where arm = 'treatment') as take_up_covariance_treatment,
        covar_samp(outcome_value, took_up) filter (where arm = 'comparison') as take_up_covariance_comparison,
        -- Pre-post estimate: mean change and its paired standard error.
        avg(y) as mean_change,
        stddev_samp(y) / sqrt(count(*)) as mean_change_se
    from samples
    group by pilot_id, outcome, subgroup_type, subgroup, estimate_type
),

estimates as (
    select
        by_arm.*,
        case when by_arm.estimate_type = 'pre_post_change' then by_arm.mean_change else regressions.estimate end as estimate,
        case when by_arm.estimate_type = 'pre_post_change' then by_arm.mean_change_se else regressions.std_error end
            as estimate_se,
        case when by_arm.estimate_type = 'pre_post_change' then cast(by_arm.count_treatment - 1 as double)
             else regressions.estimate_df end as estimate_df,
        case when by_arm.estimate_type = 'pre_post_change' then 'paired' else regressions.se_type end as se_type,
        regressions.count_clusters
    from by_arm
    left join regressions using (pilot_id, outcome, subgroup_type, subgroup, estimate_type)
),

computed as (
    select
        *,
        case when estimate_se > 0 and estimate_df >= 1 then estimate - {{ t_critical_95('estimate_df') }} * estimate_se end
            as estimate_lb,
        case when estimate_se > 0 and estimate_df >= 1 then estimate + {{ t_critical_95('estimate_df') }} * estimate_se end
            as estimate_ub,
        case when estimate_se > 0 and estimate_df >= 1 then {{ two_sided_p('estimate / estimate_se', 'estimate_df') }} end
            as p_value
    from estimates
)

select computed.*, pilots.pilot_version
from computed
inner join pilots using (pilot_id)
