-- Impact per pilot, outcome and subgroup. Cells resting on fewer than small_cell_min participants
-- are null and flagged (is_suppressed, suppressed_cells): an arm's count and mean when that arm
-- has too few measured participants, and the estimate when either arm does. Across each pilot's
-- secondary outcomes and subgroup estimates, Benjamini-Hochberg q-values; per subgrouping, a
-- Wald test that the subgroups' effects differ.
with estimates as (
    select * from {{ ref('int_pilot_effect_estimates') }}
),

synthetic as (
    {{ synthetic_pilots() }}
),

unadjusted as (
    select * from estimates where estimate_type = 'difference_in_means'
),

adjusted as (
    select * from estimates where estimate_type in ('ancova', 'pre_post_change')
),

gain as (
    select * from estimates where estimate_type = 'gain_score'
),

cells as (
    select distinct pilot_id, outcome, subgroup_type, subgroup from estimates
),

combined as (
    select
        programs.pilot_id,
        programs.city_geoid,
        programs.topic,
        programs.design,
        cells.outcome,
        definitions.outcome_type,
        definitions.better_direction,
        cells.outcome = programs.main_outcome as is_main_outcome,
        cells.subgroup_type,
        cells.subgroup,
        coalesce(unadjusted.count_treatment, adjusted.count_treatment) as count_treatment,
        unadjusted.count_comparison,
        coalesce(unadjusted.mean_treatment, adjusted.mean_treatment) as mean_treatment,
        coalesce(unadjusted.mean_comparison, adjusted.mean_comparison) as mean_comparison,
        unadjusted.sd_treatment,
        unadjusted.sd_comparison,
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
        adjusted.se_type as adjusted_se_type,
        gain.estimate as gain_estimate,
        gain.estimate_se as gain_se,
        gain.estimate_lb as gain_lb,
        gain.estimate_ub as gain_ub,
        coalesce(unadjusted.count_treatment, adjusted.count_treatment) < {{ var('small_cell_min') }} as small_treatment,
        programs.design <> 'pre_post' and unadjusted.count_comparison < {{ var('small_cell_min') }} as small_comparison,
        adjusted.estimate_type is not null and (
            adjusted.count_treatment < {{ var('small_cell_min') }}
            or (adjusted.estimate_type <> 'pre_post_change' and adjusted.count_comparison < {{ var('small_cell_min') }})
        ) as small_adjusted,
        coalesce(synthetic.is_synthetic, false) as is_synthetic
    from cells
    inner join {{ ref('stg_pilots__programs') }} as programs using (pilot_id)
    inner join {{ ref('stg_pilots__outcome_definitions') }} as definitions using (pilot_id, outcome)
    left join unadjusted using (pilot_id, outcome, subgroup_type, subgroup)
    left join adjusted using (pilot_id, outcome, subgroup_type, subgroup)
    left join gain using (pilot_id, outcome, subgroup_type, subgroup)
    left join synthetic using (pilot_id)
),

published as (
    select
        *,
        small_treatment or small_comparison or coalesce(small_adjusted, false) as is_suppressed,
        case when adjustment_method is not null and not coalesce(small_adjusted, false) and adjusted_estimate is not null
            then adjustment_method
            when not (small_treatment or small_comparison) and estimate is not null then 'difference_in_means'
        end as estimate_method
    from combined
),

-- Each row's headline estimate (what the q-value and the subgroup test use).
headline as (
    select
        *,
        case estimate_method when 'difference_in_means' then estimate else adjusted_estimate end as headline_estimate,
        case estimate_method when 'difference_in_means' then estimate_se else adjusted_se end as headline_se,
        case estimate_method when 'difference_in_means' then p_value else adjusted_p_value end as headline_p_value
    from published
),

-- Benjamini-Hochberg over a pilot's family: every published estimate but its main outcome's overall one.
family as (
    select
        pilot_id, outcome, subgroup_type, subgroup, headline_p_value,
        row_number() over (partition by pilot_id order by headline_p_value, outcome, subgroup_type, subgroup) as p_rank,
        count(*) over (partition by pilot_id) as family_size
    from headline
    where estimate_method is not null and headline_p_value is not null and not (is_main_outcome and subgroup_type = 'all')
),

q_values as (
    select
        pilot_id, outcome, subgroup_type, subgroup,
        min(least(cast(1 as double), headline_p_value * family_size / p_rank)) over (
            partition by pilot_id order by p_rank desc rows between unbounded preceding and current row
        ) as q_value
    from family
),

-- Wald (Cochran's Q) test that a subgrouping's effects are equal: Q = sum w (b - b_w)^2 with
-- w = 1/se^2 and b_w the weighted mean, chi-square with (groups - 1) degrees of freedom.
subgroup_sums as (
    select
        pilot_id, outcome, subgroup_type,
        count(*) as count_subgroups,
        sum(1 / {{ square('headline_se') }}) as sum_w,
        sum(headline_estimate / {{ square('headline_se') }}) as sum_wb,
        sum({{ square('headline_estimate') }} / {{ square('headline_se') }}) as sum_wbb
    from headline
    where subgroup_type <> 'all' and headline_se > 0 and headline_estimate is not null
    group by pilot_id, outcome, subgroup_type
),

subgroup_tests as (
    select
        pilot_id, outcome, subgroup_type,
        greatest(cast(0 as double), sum_wbb - {{ square('sum_wb') }} / sum_w) as subgroup_chi2,
        count_subgroups - 1 as subgroup_df
    from subgroup_sums
    where count_subgroups >= 2
)

select
    headline.pilot_id,
    headline.city_geoid,
    headline.topic,
    headline.design,
    headline.outcome,
    headline.outcome_type,
    headline.better_direction,
    headline.is_main_outcome,
    headline.subgroup_type,
    headline.subgroup,
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
    case when not small_adjusted then adjusted_se_type end as adjusted_se_type,
    case when not small_adjusted and adjustment_method = 'ancova' then gain_estimate end as gain_score,
    case when not small_adjusted and adjustment_method = 'ancova' then gain_se end as gain_score_se,
    case when not small_adjusted and adjustment_method = 'ancova' then gain_lb end as gain_score_lb,
    case when not small_adjusted and adjustment_method = 'ancova' then gain_ub end as gain_score_ub,
    estimate_method,
    -- Hedges' g of the headline estimate on the pooled SD of a continuous outcome, with WWC's
    -- small-sample correction (binary outcomes: the Cox index in what_works).
    case when outcome_type = 'continuous' and estimate_method in ('difference_in_means', 'ancova') and sd_treatment > 0 then
        (1 - 3 / (4 * (count_treatment + count_comparison) - cast(9 as double))) * headline_estimate
        / sqrt(((count_treatment - 1) * {{ square('sd_treatment') }} + (count_comparison - 1) * {{ square('sd_comparison') }})
               / (count_treatment + count_comparison - 2))
    end as effect_size_g,
    case when estimate_method is not null then {{ var('mde_multiplier') }} * headline_se end as mde,
    case when estimate_method is not null then q_values.q_value end as q_value,
    case when estimate_method is not null then subgroup_tests.subgroup_chi2 end as subgroup_difference_chi2,
    case when estimate_method is not null then subgroup_tests.subgroup_df end as subgroup_difference_df,
    case when estimate_method is not null then
        case when subgroup_tests.subgroup_df = 1 then {{ normal_upper_tail_twice('sqrt(subgroup_tests.subgroup_chi2)') }}
        when subgroup_tests.subgroup_df = 2 then exp(-subgroup_tests.subgroup_chi2 / 2)
        -- Wilson-Hilferty: (Q/df)^(1/3) is close to normal with mean 1 - 2/(9 df), variance 2/(9 df).
        else 1 - {{ normal_cdf('(power(subgroup_tests.subgroup_chi2 / subgroup_tests.subgroup_df, 1 / cast(3 as double))
            - (1 - 2 / (9 * cast(subgroup_tests.subgroup_df as double)))) / sqrt(2 / (9 * cast(subgroup_tests.subgroup_df as double)))') }}
        end
    end as subgroup_difference_p_value,
    case
        when is_suppressed then 'suppressed_small_cell'
        when design = 'pre_post' then 'no_comparison_group'
        else 'estimated'
    end as estimate_status,
    is_suppressed,
    concat_ws(', ',
        case when small_treatment then 'treatment arm' end,
        case when small_comparison then 'comparison arm' end,
        case when small_adjusted then 'baseline-adjusted estimate' end
    ) as suppressed_cells,
    is_synthetic
from headline
left join q_values using (pilot_id, outcome, subgroup_type, subgroup)
left join subgroup_tests using (pilot_id, outcome, subgroup_type)
