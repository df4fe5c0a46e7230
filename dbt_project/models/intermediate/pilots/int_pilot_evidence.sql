-- What the evidence rating of a pilot's outcome rests on, one row per pilot and outcome (the
-- whole analytic sample, before small-cell suppression): the headline estimate, attrition against
-- the WWC boundary, baseline equivalence, the effect size, the minimum detectable effect and the
-- effect on those served. Formulas and their sources: the model's YAML documentation.
with pilots as (
    {{ pilots_to_build() }}
),

programs as (
    select pilot_id, design, coalesce(attrition_boundary, 'cautious') as attrition_boundary
    from {{ ref('stg_pilots__programs') }}
),

definitions as (
    select pilot_id, outcome, outcome_type, better_direction from {{ ref('stg_pilots__outcome_definitions') }}
),

boundaries as (
    {{ wwc_attrition_boundaries() }}
),

-- The randomised (or assigned) sample of an outcome: participants whose follow-up window had
-- closed by the extract date, or who were measured in it.
assigned as (
    select
        pilot_id,
        outcome,
        count(*) filter (where arm = 'treatment' and is_due) as count_assigned_treatment,
        count(*) filter (where arm = 'comparison' and is_due) as count_assigned_comparison,
        cast(sum(count_outside_window) as bigint) as count_measurements_outside_window
    from {{ ref('int_pilot_participant_outcomes') }}
    where pilot_id in (select pilot_id from pilots)
    group by pilot_id, outcome
),

-- The headline estimate: pre-post change, else ANCOVA where the baseline allows it, else the
-- plain difference.
candidates as (
    select
        *,
        row_number() over (
            partition by pilot_id, outcome
            order by case estimate_type when 'pre_post_change' then 0 when 'ancova' then 1 else 2 end
        ) as preference
    from {{ ref('int_pilot_effect_estimates') }}
    where subgroup_type = 'all'
        and estimate is not null
        and estimate_type in ('pre_post_change', 'ancova', 'difference_in_means')
        and pilot_id in (select pilot_id from pilots)
),

headline as (
    select * from candidates where preference = 1
),

measures as (
    select
        headline.*,
        programs.design,
        programs.attrition_boundary,
        definitions.outcome_type,
        definitions.better_direction,
        assigned.count_assigned_treatment,
        assigned.count_assigned_comparison,
        assigned.count_measurements_outside_window,
        -- WWC's small-sample correction omega = 1 - 3 / (4N - 9).
        1 - 3 / (4 * (headline.count_treatment + headline.count_comparison) - cast(9 as double)) as omega,
        sqrt(
            ((headline.count_treatment - 1) * {{ square('headline.sd_treatment') }}
                + (headline.count_comparison - 1) * {{ square('headline.sd_comparison') }})
            / (headline.count_treatment + headline.count_comparison - 2)
        ) as sd_pooled,
        sqrt(
            ((headline.count_treatment - 1) * {{ square('headline.baseline_sd_treatment') }}
                + (headline.count_comparison - 1) * {{ square('headline.baseline_sd_comparison') }})
            / (headline.count_treatment + headline.count_comparison - 2)
        ) as baseline_sd_pooled,
        headline.take_up_treatment - headline.take_up_comparison as take_up_difference
    from headline
    inner join programs using (pilot_id)
    inner join definitions using (pilot_id, outcome)
    left join assigned using (pilot_id, outcome)
),

effect_sizes as (
    select
        *,
        case when design <> 'pre_post' then 1 - (count_treatment + count_comparison)
            / cast(count_assigned_treatment + count_assigned_comparison as double) end as attrition_overall,
        case when design <> 'pre_post' then abs(
            count_treatment / cast(count_assigned_treatment as double)
            - count_comparison / cast(count_assigned_comparison as double)
        ) end as attrition_differential,
        -- Baseline difference: Cox index for a binary baseline (difference in log odds / 1.65),
        -- Hedges' g otherwise (difference in means / pooled SD, times omega).
        case
            when design = 'pre_post' or baseline_mean_treatment is null or baseline_mean_comparison is null then null
            when outcome_type = 'binary' then case
                when baseline_mean_treatment > 0 and baseline_mean_treatment < 1
                    and baseline_mean_comparison > 0 and baseline_mean_comparison < 1
                then (ln(baseline_mean_treatment / (1 - baseline_mean_treatment))
                    - ln(baseline_mean_comparison / (1 - baseline_mean_comparison))) / 1.65 end
            when baseline_sd_pooled > 0 then omega * (baseline_mean_treatment - baseline_mean_comparison) / baseline_sd_pooled
        end as baseline_effect_size,
        -- Effect size of the estimate: Cox index on the comparison share and the comparison share
        -- plus the effect (binary), Hedges' g on the pooled SD of the outcome (continuous).
        case
            when design = 'pre_post' then null
            when outcome_type = 'binary' then case
                when mean_comparison > 0 and mean_comparison < 1
                    and mean_comparison + estimate > 0 and mean_comparison + estimate < 1
                then (ln((mean_comparison + estimate) / (1 - mean_comparison - estimate))
                    - ln(mean_comparison / (1 - mean_comparison))) / 1.65 end
            when sd_pooled > 0 then omega * estimate / sd_pooled
        end as effect_size_g
    from measures
),

boundary_checked as (
    select
        effect_sizes.*,
        case effect_sizes.attrition_boundary
            when 'optimistic' then boundaries.optimistic_max_differential_pct
            else boundaries.cautious_max_differential_pct
        end / 100 as attrition_max_differential
    from effect_sizes
    left join boundaries
        on boundaries.overall_attrition_pct = cast(round(effect_sizes.attrition_overall * 100) as integer)
)

select
    pilot_id,
    outcome,
    design,
    estimate_type as estimate_method,
    se_type,
    count_clusters,
    estimate,
    estimate_se,
    estimate_df,
    estimate_lb,
    estimate_ub,
    p_value,
    count_treatment as count_analysed_treatment,
    count_comparison as count_analysed_comparison,
    count_assigned_treatment,
    count_assigned_comparison,
    count_measurements_outside_window,
    attrition_overall,
    attrition_differential,
    attrition_boundary,
    attrition_max_differential,
    case when design <> 'pre_post' then coalesce(attrition_differential <= attrition_max_differential + 1e-9, false) end
        as is_low_attrition,
    baseline_effect_size,
    case
        when baseline_effect_size is null then 'not_established'
        when abs(baseline_effect_size) <= {{ var('baseline_equivalence_satisfied') }} then 'satisfied'
        when abs(baseline_effect_size) <= {{ var('baseline_equivalence_adjustable') }} then 'adjustment_required'
        else 'not_satisfied'
    end as baseline_equivalence,
    effect_size_g,
    -- WWC improvement index: the expected percentile gain of an average comparison participant,
    -- signed so that positive is better.
    100 * ({{ normal_cdf("case when better_direction = 'lower' then -effect_size_g else effect_size_g end") }} - 0.5)
        as improvement_index,
    {{ var('mde_multiplier') }} * estimate_se as mde,
    -- Bloom/Wald: the effect on those served = intent-to-treat effect / take-up difference; its
    -- standard error by the delta method, with the covariance of the two differences.
    case when design <> 'pre_post' and take_up_difference > 0 then estimate / take_up_difference end as tot_effect,
    case when design <> 'pre_post' and take_up_difference > 0 then sqrt(greatest(0,
        {{ square('estimate_se') }}
        + {{ square('(estimate / take_up_difference)') }}
            * (take_up_variance_treatment / count_treatment + take_up_variance_comparison / count_comparison)
        - 2 * (estimate / take_up_difference)
            * (take_up_covariance_treatment / count_treatment + take_up_covariance_comparison / count_comparison)
    )) / take_up_difference end as tot_se,
    take_up_treatment,
    take_up_comparison,
    pilot_version
from boundary_checked
