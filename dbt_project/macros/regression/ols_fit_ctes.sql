{# The CTEs (without `with`) that fit a least-squares regression per group, shared by
   ols_coefficients and ols_fitted. Each reads the one before it once (Spark inlines CTEs, so a
   CTE read twice would be planned and computed twice). They end in ols_fit, one row per input
   row: the input's group and id columns; ols_y, ols_w, ols_cluster, ols_in_fit (the row is
   fitted on); ols_fitted, ols_residual, ols_leverage; ols_d<t>, the row's influence on
   parameter t (0 the intercept) before the residual, q_t' z; and its group's ols_b<t>
   (coefficients), ols_vn<t> (the diagonal of (X'WX)^-1), ols_vif<j> and ols_r2_tss (the total
   sum of squares R^2 compares with).
   Regressor j is standardised, z_j = (x_j - m_j) / s_j with m_j its weighted mean (0 without an
   intercept) and s_j = sqrt(sum w (x_j - m_j)^2), so the matrix inverted is a correlation matrix:
   well conditioned whatever the regressors' units, and its pivots are 1 - R^2 of a regressor on
   the ones before it, which makes `tolerance` a relative threshold for collinearity. #}
{% macro ols_fit_ctes(relation, y, x, group_by, weight, cluster, intercept, tolerance, id_columns=[], keep_all_rows=false) -%}
{%- set k = x | length -%}
{%- set count_params = k + (1 if intercept else 0) -%}
{%- set regressors = range(1, k + 1) | list -%}
{%- set parameters = ([0] if intercept else []) + regressors -%}
{#- The matrices inverted: (prefix, cross-product prefix, raw sum of squares prefix). VIF is
    unweighted (on the design matrix): a weighted fit inverts a second, unweighted matrix. -#}
{%- set matrices = [('ols_a', 'ols_c', 'ols_q')] + ([('ols_au', 'ols_v', 'ols_qv')] if weight else []) -%}
{%- set vif_matrix, vif_moment = matrices[-1][0], matrices[-1][1] -%}
{%- set usable -%}
    {%- for column in x %}{{ column }} is not null and {% endfor -%}
    {%- if weight %}{{ weight }} > 0 and {% endif -%}
    {%- if cluster %}{{ cluster }} is not null and {% endif %}1 = 1
{%- endset -%}
{%- set matrix_names = matrices | map(attribute=0) | list -%}
{%- set y_centre = 'ols_ybar' if intercept else '0' -%}
{%- set entries = [] -%}
{%- for matrix in matrix_names %}{% for i in regressors %}{% for j in regressors if j >= i -%}
    {%- do entries.append(matrix ~ i ~ '_' ~ j) -%}
{%- endfor %}{% endfor %}{% endfor -%}
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

{#- Means of the rows fitted on, by window: the rows are read again for the fitted values. -#}
ols_centred as (
    select
        ols_rows.*,
        {{ ols_in_fit_mean(group_by, 'ols_y', true) }} as ols_ybar,
        {% for j in regressors -%}
        {% if intercept -%}
        {{ ols_in_fit_mean(group_by, 'ols_x' ~ j, true) }} as ols_m{{ j }},
        {{ ols_in_fit_mean(group_by, 'ols_x' ~ j, false) }} as ols_u{{ j }}{% if not loop.last %},{% endif %}
        {% else -%}
        cast(0 as double) as ols_m{{ j }},
        cast(0 as double) as ols_u{{ j }}{% if not loop.last %},{% endif %}
        {% endif -%}
        {% endfor %}
    from ols_rows
),

ols_moments as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        sum(ols_w) as ols_sw,
        {% if intercept %}max(ols_ybar){% else %}cast(0 as double){% endif %} as ols_my,
        sum(ols_w * (ols_y - {{ y_centre }}) * (ols_y - {{ y_centre }})) as ols_tss,
        {% if not intercept -%}
        sum(ols_w * (ols_y - ols_ybar) * (ols_y - ols_ybar)) as ols_centred_tss,
        {% endif -%}
        {% for j in regressors -%}
        max(ols_m{{ j }}) as ols_m{{ j }},
        sum(ols_w * ols_x{{ j }}) as ols_t{{ j }},
        sum(ols_x{{ j }}) as ols_tu{{ j }},
        sum(ols_w * ols_x{{ j }} * ols_x{{ j }}) as ols_q{{ j }},
        sum(ols_x{{ j }} * ols_x{{ j }}) as ols_qv{{ j }},
        sum(ols_w * (ols_x{{ j }} - ols_m{{ j }}) * (ols_y - {{ y_centre }})) as ols_cy{{ j }},
        {% for l in regressors if l >= j -%}
        sum(ols_w * (ols_x{{ j }} - ols_m{{ j }}) * (ols_x{{ l }} - ols_m{{ l }})) as ols_c{{ j }}_{{ l }},
        {% if weight -%}
        sum((ols_x{{ j }} - ols_u{{ j }}) * (ols_x{{ l }} - ols_u{{ l }})) as ols_v{{ j }}_{{ l }},
        {% endif -%}
        {% endfor -%}
        {% endfor -%}
        count(*) as ols_n
    from ols_centred
    where ols_in_fit
    {{ ols_group_by('ols_centred', group_by) }}
),

{#- The matrices standardised. A regressor whose root mean square deviation is at most
    `tolerance` times its root mean square is constant (collinear with the intercept), and a
    group with no residual degree of freedom has nothing to estimate: entries null. -#}
ols_sweep_0 as (
    select
        ols_moments.*,
        {% for matrix, moment, square in matrices -%}
        {% set outer = loop -%}
        {% for i in regressors %}{% for j in regressors if j >= i -%}
        case
            when ols_n > {{ count_params }}
                {% for d in [i, j] -%}
                and {{ moment }}{{ d }}_{{ d }} > {% if intercept %}{{ tolerance * tolerance }} * {{ square }}{{ d }}{% else %}0{% endif %}
                {% endfor -%}
            then {{ moment }}{{ i }}_{{ j }} / sqrt({{ moment }}{{ i }}_{{ i }} * {{ moment }}{{ j }}_{{ j }})
        end as {{ matrix }}{{ i }}_{{ j }}{% if not (outer.last and i == k and j == k) %},{% endif %}
        {% endfor %}{% endfor -%}
        {% endfor %}
    from ols_moments
),

{% for pivot in regressors -%}
{{ ols_sweep_step(pivot, k, matrix_names, entries, tolerance) }},

{% endfor -%}

{#- The sweep leaves minus the inverses. -#}
ols_groups as (
    select
        {{ star_except(entries, 'ols_sweep_' ~ k) }},
        {% for matrix, moment, square in matrices -%}
        {% for i in regressors %}{% for j in regressors if j >= i -%}
        -{{ matrix }}{{ i }}_{{ j }} as {{ matrix }}{{ i }}_{{ j }},
        {% endfor %}{% endfor -%}
        {% endfor -%}
        {% for j in regressors -%}
        case when ols_c{{ j }}_{{ j }} > 0 then sqrt(ols_c{{ j }}_{{ j }}) end as ols_s{{ j }},
        case when {{ vif_moment }}{{ j }}_{{ j }} > 0 then ols_tu{{ j }} / sqrt({{ vif_moment }}{{ j }}_{{ j }}) end as ols_tv{{ j }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_sweep_{{ k }}
),

{#- Slopes: standardised coefficients (inverse times the standardised x'y), back in x's units. -#}
ols_slopes as (
    select
        ols_groups.*,
        {% for j in regressors -%}
        ols_m{{ j }} / ols_s{{ j }} as ols_ms{{ j }},
        ols_t{{ j }} / ols_s{{ j }} as ols_tz{{ j }},
        ({% for l in regressors %}{% if not loop.first %} + {% endif %}{{ ols_entry('ols_a', j, l) }} * ols_cy{{ l }} / ols_s{{ l }}{% endfor %}) / ols_s{{ j }} as ols_b{{ j }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_groups
),

ols_estimates as (
    select
        ols_slopes.*,
        {% if intercept -%}
        ols_my{% for j in regressors %} - ols_b{{ j }} * ols_m{{ j }}{% endfor %} as ols_b0,
        1 / ols_sw + {{ ols_quadratic_form('ols_ms', 'ols_a', regressors) }} as ols_vn0,
        ols_tss as ols_r2_tss,
        {% else -%}
        {#- Without an intercept the regressors may still span a constant (a full set of
            dummies): then, as statsmodels does, R^2 is centred, and so is the R^2 behind a
            VIF when the other regressors span it. The constant's share in the span of the
            regressors: t' A t / sum w, t_j the (standardised) regressor's sum. -#}
        case when ({{ ols_quadratic_form('ols_tz', 'ols_a', regressors) }}) / ols_sw >= 1 - {{ tolerance }}
            then ols_centred_tss else ols_tss
        end as ols_r2_tss,
        {% endif -%}
        {% for j in regressors -%}
        ols_a{{ j }}_{{ j }} / (ols_s{{ j }} * ols_s{{ j }}) as ols_vn{{ j }},
        {% if intercept -%}
        {{ vif_matrix }}{{ j }}_{{ j }} as ols_vif{{ j }}{% if not loop.last %},{% endif %}
        {% else -%}
        {%- set row_dot_sums %}({% for l in regressors %}{% if not loop.first %} + {% endif %}{{ ols_entry(vif_matrix, j, l) }} * ols_tv{{ l }}{% endfor %}){% endset -%}
        case when (({{ ols_quadratic_form('ols_tv', vif_matrix, regressors) }}) - {{ row_dot_sums }} * {{ row_dot_sums }} / {{ vif_matrix }}{{ j }}_{{ j }}) / ols_n >= 1 - {{ tolerance }}
            then {{ vif_matrix }}{{ j }}_{{ j }} * (1 - ols_tv{{ j }} * ols_tv{{ j }} / ols_n)
            else {{ vif_matrix }}{{ j }}_{{ j }}
        end as ols_vif{{ j }}{% if not loop.last %},{% endif %}
        {% endif -%}
        {% endfor %}
    from ols_slopes
),

ols_fit_rows as (
    select
        ols_centred.*,
        {% for j in regressors -%}
        (ols_centred.ols_x{{ j }} - ols_estimates.ols_m{{ j }}) / ols_estimates.ols_s{{ j }} as ols_z{{ j }},
        ols_estimates.ols_s{{ j }} as ols_s{{ j }},
        ols_estimates.ols_ms{{ j }} as ols_ms{{ j }},
        ols_estimates.ols_vif{{ j }} as ols_vif{{ j }},
        {% endfor -%}
        {% for t in parameters -%}
        ols_estimates.ols_b{{ t }} as ols_b{{ t }},
        ols_estimates.ols_vn{{ t }} as ols_vn{{ t }},
        {% endfor -%}
        {% for i in regressors %}{% for j in regressors if j >= i -%}
        ols_estimates.ols_a{{ i }}_{{ j }} as ols_a{{ i }}_{{ j }},
        {% endfor %}{% endfor -%}
        ols_estimates.ols_r2_tss as ols_r2_tss,
        ols_estimates.ols_sw as ols_sw,
        ols_estimates.ols_my{% for j in regressors %} + ols_estimates.ols_b{{ j }} * (ols_centred.ols_x{{ j }} - ols_estimates.ols_m{{ j }}){% endfor %} as ols_fitted
    from ols_centred
    left join ols_estimates
        on {{ ols_same_group('ols_centred', 'ols_estimates', group_by) }}
),

{#- g = A z, the row's standardised regressors times the inverse. -#}
ols_fit_products as (
    select
        ols_fit_rows.*,
        ols_y - ols_fitted as ols_residual,
        {% for j in regressors -%}
        {% for l in regressors %}{% if not loop.first %} + {% endif %}{{ ols_entry('ols_a', j, l) }} * ols_z{{ l }}{% endfor %} as ols_g{{ j }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_fit_rows
),

{#- Leverage h = w x' (X'WX)^-1 x, the diagonal of the (whitened) hat matrix: in standardised
    terms X'WX is block diagonal, sum w for the intercept and the correlation matrix. A
    coefficient is e_t' g for g the standardised parameters; q_t = A e_t, and d_t = q_t' z. -#}
ols_fit as (
    select
        ols_fit_products.*,
        ols_w * ({% if intercept %}1 / ols_sw + {% endif %}{% for j in regressors %}{% if not loop.first %} + {% endif %}ols_z{{ j }} * ols_g{{ j }}{% endfor %}) as ols_leverage,
        {% if intercept -%}
        1 / ols_sw{% for j in regressors %} - ols_g{{ j }} * ols_ms{{ j }}{% endfor %} as ols_d0,
        {% endif -%}
        {% for j in regressors -%}
        ols_g{{ j }} / ols_s{{ j }} as ols_d{{ j }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_fit_products
)
{%- endmacro %}

{# The mean of an expression over the group's rows fitted on, as a window (weighted by ols_w or not). #}
{% macro ols_in_fit_mean(group_by, expression, weighted) -%}
    sum(case when ols_in_fit then {% if weighted %}ols_w * {% endif %}{{ expression }} end) {{ ols_over_group(group_by) }}
        / sum(case when ols_in_fit then {% if weighted %}ols_w{% else %}1{% endif %} end) {{ ols_over_group(group_by) }}
{%- endmacro %}
