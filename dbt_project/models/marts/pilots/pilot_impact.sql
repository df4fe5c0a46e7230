-- Impact per pilot, outcome and subgroup. Cells resting on fewer than small_cell_min participants
-- are null and flagged (is_suppressed, suppressed_cells): an arm's count and mean when that arm
-- has too few measured participants, and the estimate when either arm does.
with estimates as (
    select * from {{ ref('int_pilot_effect_estimates') }}
),

programs as (
    select * from {{ ref('stg_pilots__programs') }}
),

definitions as (
    select * from {{ ref('stg_pilots__outcome_definitions') }}
),

synthetic as (
    select pilot_id, bool_or(is_synthetic) as is_synthetic
    from {{ ref('int_pilot_participants') }}
    group by pilot_id
),

unadjusted as (
    select * from estimates where estimate_type = 'difference_in_means'
),

adjusted as (
    select * from estimates where estimate_type in ('difference_in_differences', 'pre_post_change')
),

combined as (
    select
        programs.pilot_id,
        programs.city_geoid,
        programs.topic,
        programs.design,
        unadjusted.outcome,
        definitions.outcome_type,
        definitions.better_direction,
        unadjusted.outcome = programs.main_outcome as is_main_outcome,
        unadjusted.subgroup_type,
        unadjusted.subgroup,
        unadjusted.count_treatment,
        unadjusted.count_comparison,
        unadjusted.mean_treatment,
        unadjusted.mean_comparison,
        unadjusted.estimate,
        unadjusted.estimate_se,
        unadjusted.estimate_df,
        unadjusted.estimate_lb,
        unadjusted.estimate_ub,
        unadjusted.p_value,
        adjusted.estimate_type as adjustment_method,
        adjusted.count_treatment as adjusted_count_treatment,
        case when adjusted.estimate_type = 'pre_post_change' then null else adjusted.count_comparison end
            as adjusted_count_comparison,
        adjusted.estimate as adjusted_estimate,
        adjusted.estimate_se as adjusted_se,
        adjusted.estimate_df as adjusted_df,
        adjusted.estimate_lb as adjusted_lb,
        adjusted.estimate_ub as adjusted_ub,
        adjusted.p_value as adjusted_p_value,
        unadjusted.count_treatment < {{ var('small_cell_min') }} as small_treatment,
        programs.design <> 'pre_post' and unadjusted.count_comparison < {{ var('small_cell_min') }} as small_comparison,
        adjusted.estimate_type is not null and (
            adjusted.count_treatment < {{ var('small_cell_min') }}
            or (adjusted.estimate_type <> 'pre_post_change' and adjusted.count_comparison < {{ var('small_cell_min') }})
        ) as small_adjusted,
        coalesce(synthetic.is_synthetic, false) as is_synthetic
    from unadjusted
    inner join programs using (pilot_id)
    inner join definitions using (pilot_id, outcome)
    left join adjusted using (pilot_id, outcome, subgroup_type, subgroup)
    left join synthetic using (pilot_id)
)

select
    pilot_id,
    city_geoid,
    topic,
    design,
    outcome,
    outcome_type,
    better_direction,
    is_main_outcome,
    subgroup_type,
    subgroup,
    case when not small_treatment then count_treatment end as count_treatment,
    case when not small_comparison and design <> 'pre_post' then count_comparison end as count_comparison,
    case when not small_treatment then mean_treatment end as mean_treatment,
    case when not small_comparison then mean_comparison end as mean_comparison,
    case when not (small_treatment or small_comparison) then estimate end as difference,
    case when not (small_treatment or small_comparison) then estimate_se end as difference_se,
    case when not (small_treatment or small_comparison) then estimate_lb end as difference_lb,
    case when not (small_treatment or small_comparison) then estimate_ub end as difference_ub,
    case when not (small_treatment or small_comparison) then p_value end as difference_p_value,
    case when not (small_treatment or small_comparison) then estimate_df end as difference_df,
    adjustment_method,
    case when not small_adjusted then adjusted_count_treatment end as adjusted_count_treatment,
    case when not small_adjusted then adjusted_count_comparison end as adjusted_count_comparison,
    case when not small_adjusted then adjusted_estimate end as adjusted_difference,
    case when not small_adjusted then adjusted_se end as adjusted_difference_se,
    case when not small_adjusted then adjusted_lb end as adjusted_difference_lb,
    case when not small_adjusted then adjusted_ub end as adjusted_difference_ub,
    case when not small_adjusted then adjusted_p_value end as adjusted_difference_p_value,
    case when not small_adjusted then adjusted_df end as adjusted_difference_df,
    case
        when small_treatment or small_comparison or coalesce(small_adjusted, false) then 'suppressed_small_cell'
        when design = 'pre_post' then 'no_comparison_group'
        else 'estimated'
    end as estimate_status,
    small_treatment or small_comparison or coalesce(small_adjusted, false) as is_suppressed,
    concat_ws(', ',
        case when small_treatment then 'treatment arm' end,
        case when small_comparison then 'comparison arm' end,
        case when small_adjusted then 'baseline-adjusted estimate' end
    ) as suppressed_cells,
    is_synthetic
from combined
