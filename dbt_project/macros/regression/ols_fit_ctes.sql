{# The CTEs (without `with`) that fit a least-squares regression per group, shared by
   ols_coefficients and ols_fitted. They end in
   - ols_estimates: one row per group: ols_n, ols_sw (sum of weights), ols_b0 (intercept),
     ols_b<j> (slopes), the weighted means ols_m<j> and scales ols_s<j> of the regressors, the
     inverse ols_a<i>_<j> of their standardised cross-product matrix, ols_vif<j>, ols_r2_tss (the
     total sum of squares R^2 compares with);
   - ols_fit: one row per input row: ols_in_fit, ols_z<j> (the standardised regressors),
     ols_fitted, ols_residual, ols_leverage;
   - ols_fit_summary: one row per group: ols_ssr (weighted), ols_n, ols_count_full_leverage
     (rows whose leverage is 1 within `tolerance`), ols_count_clusters when `cluster` is given.
   Regressor j is standardised, z_j = (x_j - m_j) / s_j with m_j its weighted mean (0 without an
   intercept) and s_j = sqrt(sum w (x_j - m_j)^2), so the matrix inverted is a correlation matrix:
   well conditioned whatever the regressors' units, and its pivots are 1 - R^2 of a regressor on
   the ones before it, which makes `tolerance` a relative threshold for collinearity. #}
{% macro ols_fit_ctes(relation, y, x, group_by, weight, cluster, intercept, tolerance, id_columns=[], keep_all_rows=false) -%}
{%- set k = x | length -%}
{%- set count_params = k + (1 if intercept else 0) -%}
{%- set regressors = range(1, k + 1) | list -%}
{#- VIF is unweighted (on the design matrix): a weighted fit inverts a second, unweighted matrix. -#}
{%- set matrices = [('design', 'ols_c', 'ols_q')] + ([('unweighted', 'ols_v', 'ols_qv')] if weight else []) -%}
{%- set vif_entry = matrices[-1][1] -%}
{%- set usable -%}
    {%- for column in x %}{{ column }} is not null and {% endfor -%}
    {%- if weight %}{{ weight }} > 0 and {% endif -%}
    {%- if cluster %}{{ cluster }} is not null and {% endif %}1 = 1
{%- endset -%}
ols_rows as (
    select
        {% for column in group_by + id_columns %}{{ column }},
        {% endfor -%}
        cast({{ y }} as double) as ols_y,
        {% for column in x -%}
        cast({{ column }} as double) as ols_x{{ loop.index }},
        {% endfor -%}
        {% if weight %}cast({{ weight }} as double){% else %}cast(1 as double){% endif %} as ols_w,
        {% if cluster %}{{ cluster }} as ols_cluster,
        {% endif -%}
        ({{ y }} is not null and {{ usable }}) as ols_in_fit
    from {{ relation }}
    {% if not keep_all_rows %}where {{ y }} is not null and {{ usable }}{% endif %}
),

ols_means as (
    select
        {{ ols_group_columns('ols_rows', group_by) }}count(*) as ols_n,
        sum(ols_w) as ols_sw,
        sum(ols_w * ols_y) / sum(ols_w) as ols_ybar,
        {% if intercept -%}
        sum(ols_w * ols_y) / sum(ols_w) as ols_my,
        {% for j in regressors -%}
        sum(ols_w * ols_x{{ j }}) / sum(ols_w) as ols_m{{ j }},
        avg(ols_x{{ j }}) as ols_u{{ j }}{% if not loop.last %},{% endif %}
        {% endfor -%}
        {% else -%}
        cast(0 as double) as ols_my,
        {% for j in regressors -%}
        cast(0 as double) as ols_m{{ j }},
        cast(0 as double) as ols_u{{ j }},
        sum(ols_w * ols_x{{ j }}) as ols_t{{ j }},
        sum(ols_x{{ j }}) as ols_tu{{ j }}{% if not loop.last %},{% endif %}
        {% endfor -%}
        {% endif %}
    from ols_rows
    where ols_in_fit
    {{ ols_group_by('ols_rows', group_by) }}
),

ols_moments as (
    select
        {{ ols_group_columns('ols_means', group_by) }}max(ols_means.ols_n) as ols_n,
        max(ols_means.ols_sw) as ols_sw,
        max(ols_means.ols_my) as ols_my,
        {% if not intercept -%}
        max(ols_means.ols_ybar) as ols_ybar,
        sum(ols_rows.ols_w * (ols_rows.ols_y - ols_means.ols_ybar) * (ols_rows.ols_y - ols_means.ols_ybar)) as ols_centred_tss,
        {% for j in regressors -%}
        max(ols_means.ols_t{{ j }}) as ols_t{{ j }},
        max(ols_means.ols_tu{{ j }}) as ols_tu{{ j }},
        {% endfor -%}
        {% endif -%}
        {% for j in regressors -%}
        max(ols_means.ols_m{{ j }}) as ols_m{{ j }},
        sum(ols_rows.ols_w * (ols_rows.ols_x{{ j }} - ols_means.ols_m{{ j }}) * (ols_rows.ols_y - ols_means.ols_my)) as ols_cy{{ j }},
        sum(ols_rows.ols_w * ols_rows.ols_x{{ j }} * ols_rows.ols_x{{ j }}) as ols_q{{ j }},
        sum(ols_rows.ols_x{{ j }} * ols_rows.ols_x{{ j }}) as ols_qv{{ j }},
        {% for l in regressors if l >= j -%}
        sum(ols_rows.ols_w * (ols_rows.ols_x{{ j }} - ols_means.ols_m{{ j }}) * (ols_rows.ols_x{{ l }} - ols_means.ols_m{{ l }})) as ols_c{{ j }}_{{ l }},
        {% if weight -%}
        sum((ols_rows.ols_x{{ j }} - ols_means.ols_u{{ j }}) * (ols_rows.ols_x{{ l }} - ols_means.ols_u{{ l }})) as ols_v{{ j }}_{{ l }},
        {% endif -%}
        {% endfor -%}
        {% endfor -%}
        sum(ols_rows.ols_w * (ols_rows.ols_y - ols_means.ols_my) * (ols_rows.ols_y - ols_means.ols_my)) as ols_tss
    from ols_rows
    inner join ols_means
        on {{ ols_same_group('ols_rows', 'ols_means', group_by) }}
    where ols_rows.ols_in_fit
    {{ ols_group_by('ols_means', group_by) }}
),

{#- The matrices in long form, upper triangle. A regressor whose root mean square deviation is
    at most `tolerance` times its root mean square is constant (collinear with the intercept),
    and a group with no residual degree of freedom has nothing to estimate: entries null. #}
ols_sweep_0 as (
    select
        {{ ols_group_columns('ols_moments', group_by) }}ols_entries.ols_matrix,
        ols_entries.ols_i,
        ols_entries.ols_j,
        case
            {% for matrix, entry, square in matrices -%}
            {% for i in regressors %}{% for j in regressors if j >= i -%}
            when ols_entries.ols_matrix = '{{ matrix }}' and ols_entries.ols_i = {{ i }} and ols_entries.ols_j = {{ j }} then
                case
                    when ols_moments.ols_n > {{ count_params }}
                        {% for d in [i, j] -%}
                        and ols_moments.{{ entry }}{{ d }}_{{ d }} > {% if intercept %}{{ tolerance * tolerance }} * ols_moments.{{ square }}{{ d }}{% else %}0{% endif %}
                        {% endfor -%}
                    then ols_moments.{{ entry }}{{ i }}_{{ j }} / sqrt(ols_moments.{{ entry }}{{ i }}_{{ i }} * ols_moments.{{ entry }}{{ j }}_{{ j }})
                end
            {% endfor %}{% endfor -%}
            {% endfor -%}
        end as ols_value
    from ols_moments
    cross join (
        values
        {%- for matrix, entry, square in matrices %}{% set outer = loop %}
        {%- for i in regressors %}{% for j in regressors if j >= i %}
            ('{{ matrix }}', {{ i }}, {{ j }}){% if not (outer.last and i == k and j == k) %},{% endif %}
        {%- endfor %}{% endfor %}{% endfor %}
    ) as ols_entries (ols_matrix, ols_i, ols_j)
),

{% for pivot in regressors -%}
{{ ols_sweep_step(pivot, k, group_by, tolerance) }},

{% endfor -%}

{#- The sweep leaves minus the inverse. -#}
ols_inverse as (
    select
        {{ ols_group_columns('ols_sweep_' ~ k, group_by) }}
        {%- for i in regressors %}{% for j in regressors if j >= i %}
        -max(case when ols_matrix = 'design' and ols_i = {{ i }} and ols_j = {{ j }} then ols_value end) as ols_a{{ i }}_{{ j }},
        {%- endfor %}{% endfor %}
        {%- for i in regressors %}{% for j in regressors if j >= i and (j == i or not intercept) %}
        -max(case when ols_matrix = '{{ matrices[-1][0] }}' and ols_i = {{ i }} and ols_j = {{ j }} then ols_value end) as ols_au{{ i }}_{{ j }}{% if not (i == k and j == k) %},{% endif %}
        {%- endfor %}{% endfor %}
    from ols_sweep_{{ k }}
    {{ ols_group_by('ols_sweep_' ~ k, group_by) }}
),

ols_groups as (
    select
        ols_moments.*,
        {% for j in regressors -%}
        case when ols_moments.ols_c{{ j }}_{{ j }} > 0 then sqrt(ols_moments.ols_c{{ j }}_{{ j }}) end as ols_s{{ j }},
        {% endfor -%}
        {% for i in regressors %}{% for j in regressors if j >= i -%}
        ols_inverse.ols_a{{ i }}_{{ j }},
        {% endfor %}{% endfor -%}
        {% for j in regressors -%}
        {% if intercept -%}
        ols_inverse.ols_au{{ j }}_{{ j }} as ols_vif{{ j }}{% if not loop.last %},{% endif %}
        {% else -%}
        case when ols_moments.ols_c{{ j }}_{{ j }} > 0 then ols_moments.ols_t{{ j }} / sqrt(ols_moments.ols_c{{ j }}_{{ j }}) end as ols_tz{{ j }},
        case when ols_moments.{{ vif_entry }}{{ j }}_{{ j }} > 0 then ols_moments.ols_tu{{ j }} / sqrt(ols_moments.{{ vif_entry }}{{ j }}_{{ j }}) end as ols_tv{{ j }},
        {% for l in regressors if l >= j -%}
        ols_inverse.ols_au{{ j }}_{{ l }}{% if not (j == k and l == k) %},{% endif %}
        {% endfor -%}
        {% endif -%}
        {% endfor %}
    from ols_moments
    inner join ols_inverse
        on {{ ols_same_group('ols_moments', 'ols_inverse', group_by) }}
),

{#- Slopes: standardised coefficients (inverse times the standardised x'y), back in x's units. -#}
ols_slopes as (
    select
        ols_groups.*,
        {% for j in regressors -%}
        ({% for l in regressors %}{% if not loop.first %} + {% endif %}{{ ols_entry('ols_a', j, l) }} * ols_cy{{ l }} / ols_s{{ l }}{% endfor %}) / ols_s{{ j }} as ols_b{{ j }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_groups
),

ols_estimates as (
    select
        ols_slopes.*,
        {% if intercept -%}
        ols_tss as ols_r2_tss,
        {% else -%}
        {#- Without an intercept the regressors may still span a constant (a full set of
            dummies): then, as statsmodels does, R^2 is centred, and so is the R^2 behind a
            VIF when the other regressors span it. The constant's share in the span of the
            regressors: t' A t / sum w, t_j the (standardised) regressor's sum. -#}
        case when ({{ ols_quadratic_form('ols_tz', 'ols_a', regressors) }}) / ols_sw >= 1 - {{ tolerance }}
            then ols_centred_tss else ols_tss
        end as ols_r2_tss,
        {% for j in regressors -%}
        {%- set row_dot_sums %}({% for l in regressors %}{% if not loop.first %} + {% endif %}{{ ols_entry('ols_au', j, l) }} * ols_tv{{ l }}{% endfor %}){% endset -%}
        case when (({{ ols_quadratic_form('ols_tv', 'ols_au', regressors) }}) - {{ row_dot_sums }} * {{ row_dot_sums }} / ols_au{{ j }}_{{ j }}) / ols_n >= 1 - {{ tolerance }}
            then ols_au{{ j }}_{{ j }} * (1 - ols_tv{{ j }} * ols_tv{{ j }} / ols_n)
            else ols_au{{ j }}_{{ j }}
        end as ols_vif{{ j }},
        {% endfor -%}
        {% endif -%}
        ols_my{% for j in regressors %} - ols_b{{ j }} * ols_m{{ j }}{% endfor %} as ols_b0
    from ols_slopes
),

ols_fit_rows as (
    select
        ols_rows.*,
        {% for j in regressors -%}
        (ols_rows.ols_x{{ j }} - ols_estimates.ols_m{{ j }}) / ols_estimates.ols_s{{ j }} as ols_z{{ j }},
        {% endfor -%}
        ols_estimates.ols_my{% for j in regressors %} + ols_estimates.ols_b{{ j }} * (ols_rows.ols_x{{ j }} - ols_estimates.ols_m{{ j }}){% endfor %} as ols_fitted,
        ols_estimates.ols_sw,
        {% for i in regressors %}{% for j in regressors if j >= i -%}
        ols_estimates.ols_a{{ i }}_{{ j }}{% if not loop.last or i < k %},{% endif %}
        {% endfor %}{% endfor %}
    from ols_rows
    left join ols_estimates
        on {{ ols_same_group('ols_rows', 'ols_estimates', group_by) }}
),

{#- Leverage h = w x' (X'WX)^-1 x, the diagonal of the (whitened) hat matrix; in standardised
    terms X'WX is block diagonal, sum w for the intercept and the correlation matrix. -#}
ols_fit as (
    select
        {% for column in group_by + id_columns %}{{ column }},
        {% endfor -%}
        ols_y,
        {% for j in regressors %}ols_z{{ j }},
        {% endfor -%}
        ols_w,
        {% if cluster %}ols_cluster,
        {% endif -%}
        ols_in_fit,
        ols_fitted,
        ols_y - ols_fitted as ols_residual,
        ols_w * ({% if intercept %}1 / ols_sw + {% endif %}{{ ols_quadratic_form('ols_z', 'ols_a', regressors) }}) as ols_leverage
    from ols_fit_rows
),

ols_fit_summary as (
    select
        {{ ols_group_columns('ols_fit', group_by) }}sum(ols_w * ols_residual * ols_residual) as ols_ssr,
        count(*) as ols_n,
        sum(case when ols_leverage < 1 - {{ tolerance }} then 0 else 1 end) as ols_count_full_leverage{% if cluster %},
        count(distinct ols_cluster) as ols_count_clusters{% endif %}
    from ols_fit
    where ols_in_fit
    {{ ols_group_by('ols_fit', group_by) }}
)
{%- endmacro %}

