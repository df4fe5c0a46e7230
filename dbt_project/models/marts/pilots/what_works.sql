-- One row per pilot for sharing across cities: the main outcome's headline effect and an
-- evidence rating.
--
-- Headline estimate by design: randomised -> difference in means (randomisation balances the
-- baseline); matched comparison -> difference-in-differences when a baseline exists (guards
-- against baseline gaps between the groups), else difference in means; pre-post -> mean change
-- from baseline.
-- Evidence rule, on the 95% interval of the headline estimate:
--   interval excludes zero on the better side: randomised = strong, matched comparison =
--   moderate, pre-post = preliminary (no comparison group separates the pilot from trends);
--   interval excludes zero on the worse side = unfavourable; interval includes zero =
--   no_detectable_effect; no estimate (suppressed or not estimable) = insufficient_data.
with impact as (
    select * from {{ ref('pilot_impact') }}
    where is_main_outcome and subgroup_type = 'all'
),

programs as (
    select * from {{ ref('stg_pilots__programs') }}
),

cities as (
    select city_geoid, city_name from {{ ref('dim_city') }}
),

headline as (
    select
        programs.pilot_id,
        programs.city_geoid,
        programs.pilot_name,
        programs.topic,
        programs.design,
        programs.main_outcome,
        impact.better_direction,
        impact.is_synthetic,
        case
            when programs.design = 'pre_post' then 'pre_post_change'
            when programs.design = 'matched_comparison' and impact.adjustment_method is not null
                then 'difference_in_differences'
            else 'difference_in_means'
        end as estimate_method,
        impact.count_treatment,
        impact.count_comparison,
        impact.adjusted_count_treatment,
        impact.adjusted_count_comparison,
        impact.difference,
        impact.difference_se,
        impact.difference_lb,
        impact.difference_ub,
        impact.difference_p_value,
        impact.adjusted_difference,
        impact.adjusted_difference_se,
        impact.adjusted_difference_lb,
        impact.adjusted_difference_ub,
        impact.adjusted_difference_p_value
    from programs
    left join impact on impact.pilot_id = programs.pilot_id and impact.outcome = programs.main_outcome
),

chosen as (
    select
        *,
        estimate_method = 'difference_in_means' as is_unadjusted
    from headline
),

effects as (
    select
        pilot_id, city_geoid, pilot_name, topic, design, main_outcome, better_direction, estimate_method,
        coalesce(is_synthetic, false) as is_synthetic,
        -- Counts are null exactly when they rest on fewer than small_cell_min participants (or none).
        (case when is_unadjusted then count_treatment else adjusted_count_treatment end) is null
            or (design <> 'pre_post'
                and (case when is_unadjusted then count_comparison else adjusted_count_comparison end) is null)
            as is_suppressed,
        case when is_unadjusted then count_treatment else adjusted_count_treatment end as count_treatment,
        case when is_unadjusted then count_comparison else adjusted_count_comparison end as count_comparison,
        case when is_unadjusted then difference else adjusted_difference end as effect,
        case when is_unadjusted then difference_se else adjusted_difference_se end as effect_se,
        case when is_unadjusted then difference_lb else adjusted_difference_lb end as effect_lb,
        case when is_unadjusted then difference_ub else adjusted_difference_ub end as effect_ub,
        case when is_unadjusted then difference_p_value else adjusted_difference_p_value end as effect_p_value
    from chosen
)

select
    effects.pilot_id,
    effects.city_geoid,
    cities.city_name,
    effects.pilot_name,
    effects.topic,
    effects.design,
    effects.main_outcome,
    effects.better_direction,
    effects.estimate_method,
    effects.count_treatment,
    effects.count_comparison,
    effects.effect,
    effects.effect_se,
    effects.effect_lb,
    effects.effect_ub,
    effects.effect_p_value,
    case
        when effects.effect_lb is null or effects.effect_ub is null then 'insufficient_data'
        when (effects.better_direction = 'higher' and effects.effect_lb > 0)
            or (effects.better_direction = 'lower' and effects.effect_ub < 0) then
            case effects.design
                when 'randomised' then 'strong'
                when 'matched_comparison' then 'moderate'
                else 'preliminary'
            end
        when (effects.better_direction = 'higher' and effects.effect_ub < 0)
            or (effects.better_direction = 'lower' and effects.effect_lb > 0) then 'unfavourable'
        else 'no_detectable_effect'
    end as evidence_rating,
    effects.is_suppressed,
    effects.is_synthetic
from effects
left join cities using (city_geoid)
