-- One row per pilot for sharing across cities: the primary outcome's headline effect and an
-- evidence rating following the What Works Clearinghouse group-design standards (the rules and
-- their sources are in the model's YAML documentation), with the reason in plain words.
with programs as (
    select * from {{ ref('stg_pilots__programs') }}
),

cities as (
    select city_geoid, city_name from {{ ref('dim_city') }}
),

synthetic as (
    {{ synthetic_pilots() }}
),

-- Real uploads: the first one's date, and whether any recorded a primary outcome other than
-- the one registered now (the receipts keep the registry's primary outcomes of their day).
real_uploads as (
    select
        programs.pilot_id,
        min(cast(files.accepted_at as date)) as first_real_upload_on,
        max(case
            when instr(concat(';', files.registered_primary_outcomes, ';'), concat(';', programs.pilot_id, '=')) > 0
                and instr(concat(';', files.registered_primary_outcomes, ';'),
                          concat(';', programs.pilot_id, '=', programs.main_outcome, ';')) = 0
            then 1 else 0
        end) = 1 as is_other_outcome_recorded
    from programs
    inner join {{ ref('stg_pilots__files') }} as files on files.city_geoid = programs.city_geoid
    where not files.is_synthetic
    group by programs.pilot_id
),

pilots as (
    select
        programs.pilot_id,
        programs.city_geoid,
        programs.pilot_name,
        programs.topic as pilot_topic,
        programs.design,
        programs.main_outcome as primary_outcome,
        definitions.outcome_description as primary_outcome_label,
        definitions.unit as primary_outcome_unit,
        definitions.better_direction,
        programs.registered_on,
        coalesce(real_uploads.is_other_outcome_recorded or programs.registered_on > real_uploads.first_real_upload_on,
            false) as is_primary_outcome_changed,
        evidence.estimate_method,
        evidence.se_type,
        evidence.count_analysed_treatment >= {{ var('small_cell_min') }}
            and (programs.design = 'pre_post' or evidence.count_analysed_comparison >= {{ var('small_cell_min') }})
            as is_reportable,
        evidence.estimate,
        evidence.estimate_se,
        evidence.estimate_lb,
        evidence.estimate_ub,
        evidence.p_value,
        evidence.effect_size_g,
        evidence.improvement_index,
        evidence.mde,
        evidence.count_assigned_treatment,
        evidence.count_assigned_comparison,
        evidence.count_analysed_treatment,
        evidence.count_analysed_comparison,
        evidence.count_measurements_outside_window,
        evidence.attrition_overall,
        evidence.attrition_differential,
        coalesce(programs.attrition_boundary, 'cautious') as attrition_boundary,
        evidence.attrition_max_differential,
        evidence.is_low_attrition,
        evidence.baseline_effect_size,
        coalesce(evidence.baseline_equivalence, 'not_established') as baseline_equivalence,
        evidence.tot_effect,
        evidence.tot_se,
        coalesce(synthetic.is_synthetic, false) as is_synthetic
    from programs
    left join {{ ref('stg_pilots__outcome_definitions') }} as definitions
        on definitions.pilot_id = programs.pilot_id and definitions.outcome = programs.main_outcome
    left join {{ ref('int_pilot_evidence') }} as evidence
        on evidence.pilot_id = programs.pilot_id and evidence.outcome = programs.main_outcome
    left join real_uploads on real_uploads.pilot_id = programs.pilot_id
    left join synthetic on synthetic.pilot_id = programs.pilot_id
),

rated as (
    select
        *,
        case
            when not coalesce(is_reportable, false) or estimate_lb is null then 'insufficient_data'
            when design = 'pre_post' then 'does_not_meet'
            when design = 'randomised' and is_low_attrition and not is_primary_outcome_changed
                then 'meets_without_reservations'
            when baseline_equivalence = 'satisfied' then 'meets_with_reservations'
            when baseline_equivalence = 'adjustment_required' and estimate_method = 'ancova' then 'meets_with_reservations'
            -- A low-attrition randomised pilot whose primary outcome changed: capped, not failed.
            when design = 'randomised' and is_low_attrition then 'meets_with_reservations'
            else 'does_not_meet'
        end as evidence_rating,
        case
            when not coalesce(is_reportable, false) or estimate_lb is null then null
            when (better_direction = 'higher' and estimate_lb > 0) or (better_direction = 'lower' and estimate_ub < 0)
                then 'favourable'
            when (better_direction = 'higher' and estimate_ub < 0) or (better_direction = 'lower' and estimate_lb > 0)
                then 'unfavourable'
            else 'no_detectable_effect'
        end as effect_direction
    from pilots
),

-- The reason, in parts: the design and what it rests on, the verdict, and what the effect says.
reasons as (
    select
        *,
        cast(round(100 * attrition_overall, 1) as {{ string_type() }}) as attrition_overall_text,
        cast(round(100 * attrition_differential, 1) as {{ string_type() }}) as attrition_differential_text,
        cast(round(abs(baseline_effect_size), 2) as {{ string_type() }}) as baseline_text,
        -- Spark's round takes a literal scale: a share to 3 decimals, other units to 1.
        case
            when primary_outcome_unit = 'yes/no' then cast(round(mde, 3) as {{ string_type() }})
            else cast(round(mde, 1) as {{ string_type() }})
        end as mde_text
    from rated
)

select
    reasons.pilot_id,
    reasons.city_geoid,
    cities.city_name,
    reasons.pilot_name,
    reasons.pilot_topic,
    reasons.design,
    reasons.primary_outcome,
    reasons.primary_outcome_label,
    reasons.primary_outcome_unit,
    reasons.better_direction,
    reasons.registered_on,
    reasons.is_primary_outcome_changed,
    reasons.evidence_rating,
    reasons.effect_direction,
    case when is_reportable then estimate_method end as estimate_method,
    case when is_reportable then se_type end as se_type,
    case when is_reportable then estimate end as effect,
    case when is_reportable then estimate_se end as effect_se,
    case when is_reportable then estimate_lb end as effect_lb,
    case when is_reportable then estimate_ub end as effect_ub,
    case when is_reportable then p_value end as effect_p_value,
    case when is_reportable then effect_size_g end as effect_size_g,
    case when is_reportable then improvement_index end as improvement_index,
    case when is_reportable then mde end as mde,
    case when count_assigned_treatment >= {{ var('small_cell_min') }} then count_assigned_treatment end
        as count_assigned_treatment,
    case when count_assigned_comparison >= {{ var('small_cell_min') }} then count_assigned_comparison end
        as count_assigned_comparison,
    case when count_analysed_treatment >= {{ var('small_cell_min') }} then count_analysed_treatment end
        as count_analysed_treatment,
    case when count_analysed_comparison >= {{ var('small_cell_min') }} then count_analysed_comparison end
        as count_analysed_comparison,
    reasons.count_measurements_outside_window,
    case when is_reportable then attrition_overall end as attrition_overall,
    case when is_reportable then attrition_differential end as attrition_differential,
    reasons.attrition_boundary,
    case when is_reportable then is_low_attrition end as is_low_attrition,
    case when is_reportable then baseline_effect_size end as baseline_effect_size,
    reasons.baseline_equivalence,
    case when is_reportable then tot_effect end as tot_effect,
    case when is_reportable then tot_se end as tot_se,
    not coalesce(is_reportable, false) as is_suppressed,
    reasons.is_synthetic,
    concat_ws(' ',
        case
            when evidence_rating = 'insufficient_data' then
                'Too few participants had the primary outcome measured inside its follow-up window (fewer than '
                || '{{ var("small_cell_min") }} in an arm) to estimate an effect, so the pilot cannot be rated.'
            when design = 'pre_post' then
                'A before-and-after comparison without a comparison group: the change could come from anything else '
                || 'that happened at the same time.'
            when design = 'randomised' and is_low_attrition then
                'A randomised trial that kept enough of its participants: ' || attrition_overall_text
                || '% were not measured and the two groups lost shares ' || attrition_differential_text
                || ' points apart, within the WWC ' || attrition_boundary || ' boundary.'
            when design = 'randomised' then
                'A randomised trial that lost too many participants: ' || attrition_overall_text
                || '% were not measured and the two groups lost shares ' || attrition_differential_text
                || ' points apart, beyond the WWC ' || attrition_boundary
                || ' boundary, so the groups measured may no longer be alike.'
            else 'A matched comparison: the groups were not formed by chance, so they must be shown alike before the pilot.'
        end,
        case
            when evidence_rating = 'insufficient_data' or design = 'pre_post' then null
            when design = 'randomised' and is_low_attrition then null
            when baseline_equivalence = 'not_established' then
                'There is no baseline measurement to show the groups were alike before the pilot.'
            when baseline_equivalence = 'satisfied' then
                'At baseline the groups differ by ' || baseline_text || ' standard deviations, within the 0.05 the WWC accepts.'
            when baseline_equivalence = 'adjustment_required' and estimate_method = 'ancova' then
                'At baseline the groups differ by ' || baseline_text
                || ' standard deviations, between 0.05 and 0.25, and the estimate adjusts for the baseline.'
            when baseline_equivalence = 'adjustment_required' then
                'At baseline the groups differ by ' || baseline_text
                || ' standard deviations and the estimate cannot adjust for it.'
            else
                'At baseline the groups differ by ' || baseline_text
                || ' standard deviations, more than the 0.25 the WWC accepts: the estimate may reflect who joined, not the pilot.'
        end,
        case
            when is_primary_outcome_changed then
                'The primary outcome was changed after the first real data arrived, so the rating cannot be the top one.'
        end,
        case evidence_rating
            when 'meets_without_reservations' then 'It meets WWC standards without reservations.'
            when 'meets_with_reservations' then 'It meets WWC standards with reservations.'
            when 'does_not_meet' then 'It does not meet WWC standards.'
        end,
        case effect_direction
            when 'favourable' then 'The effect on the primary outcome is favourable: its 95% interval lies on the better side of zero.'
            when 'unfavourable' then 'The primary outcome moved the wrong way: its 95% interval lies on the worse side of zero.'
            when 'no_detectable_effect' then
                'No effect was detected; the pilot could reliably detect only effects of about ' || mde_text
                || ' (' || primary_outcome_unit || ') or larger, so a smaller effect cannot be ruled out.'
        end
    ) as rating_reason
from reasons
left join cities using (city_geoid)
