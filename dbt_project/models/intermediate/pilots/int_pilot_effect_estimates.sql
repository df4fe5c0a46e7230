-- Effect estimates per pilot, outcome and subgroup, before small-cell suppression.
--
-- difference_in_means: mean(treatment) - mean(comparison) of last measurements, Welch
--   standard error sqrt(s_t^2/n_t + s_c^2/n_c) with Welch-Satterthwaite degrees of freedom.
-- difference_in_differences (baseline-adjusted, where a baseline exists): the same on each
--   participant's change from baseline (outcome - baseline_value).
-- pre_post_change (pre-post designs, no comparison arm): mean change from baseline, paired
--   standard error s/sqrt(n), n - 1 degrees of freedom.
-- The 95% interval and two-sided p-value use Student's t with those degrees of freedom.
-- DuckDB has no t or normal CDF, so t is mapped to a standard normal z by Bailey's
-- transform z = sqrt((df - 0.5) * ln(1 + t^2/df)), and P(|Z| > z) = erfc(z/sqrt 2) by
-- Abramowitz-Stegun 7.1.26 (error < 1.5e-7); the critical value is the exact inverse of the
-- same transform at z = 1.959964. Against exact t: p-values within 5e-4 and critical values
-- within 0.005 (slightly wider) for df >= 10, which suppression guarantees (n >= 11 per arm).
with pilots as (
    {{ pilots_to_build() }}
),

measured as (
    select * from {{ ref('int_pilot_participant_outcomes') }}
    where outcome_value is not null and pilot_id in (select pilot_id from pilots)
),

subgroups as (
    select *, 'all' as subgroup_type, 'all' as subgroup from measured
    union all
    select *, 'race_ethnicity', race_ethnicity from measured
    union all
    select *, 'gender', gender from measured
),

observations as (
    select
        pilot_id, design, outcome, subgroup_type, subgroup, arm,
        case when design = 'pre_post' then 'pre_post_change' else 'difference_in_differences' end as estimate_type,
        outcome_value - baseline_value as observed,
        outcome_value,
        baseline_value
    from subgroups
    where baseline_value is not null
    union all
    select
        pilot_id, design, outcome, subgroup_type, subgroup, arm,
        'difference_in_means', outcome_value, outcome_value, null
    from subgroups
),

by_arm as (
    select
        pilot_id, design, outcome, subgroup_type, subgroup, estimate_type,
        count(*) filter (where arm = 'treatment') as count_treatment,
        count(*) filter (where arm = 'comparison') as count_comparison,
        avg(outcome_value) filter (where arm = 'treatment') as mean_treatment,
        -- Pre-post: the "comparison" mean is the same participants' baseline.
        case when estimate_type = 'pre_post_change' then avg(baseline_value) filter (where arm = 'treatment')
             else avg(outcome_value) filter (where arm = 'comparison') end as mean_comparison,
        avg(observed) filter (where arm = 'treatment') as observed_treatment,
        avg(observed) filter (where arm = 'comparison') as observed_comparison,
        var_samp(observed) filter (where arm = 'treatment') as variance_treatment,
        var_samp(observed) filter (where arm = 'comparison') as variance_comparison
    from observations
    group by pilot_id, design, outcome, subgroup_type, subgroup, estimate_type
),

estimates as (
    select
        *,
        case when estimate_type = 'pre_post_change' then observed_treatment
             else observed_treatment - observed_comparison end as estimate,
        case when estimate_type = 'pre_post_change' then sqrt(variance_treatment / count_treatment)
             else sqrt(variance_treatment / count_treatment + variance_comparison / count_comparison) end as estimate_se,
        case when estimate_type = 'pre_post_change' then count_treatment - 1
             else power(variance_treatment / count_treatment + variance_comparison / count_comparison, 2)
                / nullif(power(variance_treatment / count_treatment, 2) / (count_treatment - 1)
                    + power(variance_comparison / count_comparison, 2) / (count_comparison - 1), 0)
        end as estimate_df
    from by_arm
),

normalised as (
    select
        *,
        sqrt(
            (estimate_df - 0.5) * ln(1 + power(estimate / nullif(estimate_se, 0), 2) / estimate_df)
        ) / sqrt(2) as half_z,
        sqrt(estimate_df * (exp(power(1.959963984540054, 2) / (estimate_df - 0.5)) - 1)) as t_critical
    from estimates
    where estimate_df > 0.5
),

with_p as (
    select
        *,
        1 / (1 + 0.3275911 * half_z) as k
    from normalised
),

computed as (
    select
        pilot_id,
        outcome,
        subgroup_type,
        subgroup,
        estimate_type,
        count_treatment,
        count_comparison,
        mean_treatment,
        mean_comparison,
        estimate,
        estimate_se,
        estimate_df,
        estimate - t_critical * estimate_se as estimate_lb,
        estimate + t_critical * estimate_se as estimate_ub,
        k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429))))
            * exp(-half_z * half_z) as p_value
    from with_p
    union all
    -- Groups without a computable estimate (a pre-post design's unadjusted comparison, an arm with
    -- fewer than two measurements): counts and means only.
    select
        pilot_id, outcome, subgroup_type, subgroup, estimate_type, count_treatment, count_comparison,
        mean_treatment, mean_comparison, null, null, null, null, null, null
    from estimates
    where estimate_df is null or estimate_df <= 0.5
)

select computed.*, pilots.pilot_version
from computed
inner join pilots using (pilot_id)
