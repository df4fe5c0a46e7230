{# Least-squares coefficients per group, with standard errors of the chosen covariance type:
   a select (for a CTE body) of one row per group and term. Documented in macros/_macros.yml. #}
{% macro ols_coefficients(relation, y, x, group_by=[], cov_type='HC2', weight=none, cluster=none, intercept=true, tolerance=1e-10) -%}
{%- if cov_type not in ['nonrobust', 'HC0', 'HC1', 'HC2', 'HC3', 'cluster'] -%}
    {{ exceptions.raise_compiler_error("ols_coefficients: cov_type '" ~ cov_type ~ "' is not one of nonrobust, HC0, HC1, HC2, HC3, cluster") }}
{%- endif -%}
{%- if cov_type == 'cluster' and not cluster -%}
    {{ exceptions.raise_compiler_error("ols_coefficients: cov_type 'cluster' needs the cluster column (cluster=...)") }}
{%- endif -%}
{%- set k = x | length -%}
{%- set count_params = k + (1 if intercept else 0) -%}
{%- set regressors = range(1, k + 1) | list -%}
{#- Index 0 is the intercept in the standardised parameters (its regressor is 1). -#}
{%- set parameters = ([0] if intercept else []) + regressors -%}
with {{ ols_fit_ctes(relation, y, x, group_by, weight, cluster, intercept, tolerance) }},

{% if cov_type == 'cluster' -%}
{#- Cluster-robust meat: the sum over clusters of the outer product of each cluster's score. -#}
ols_cluster_scores as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        ols_cluster,
        {% for j in parameters -%}
        sum(ols_w * ols_residual{% if j > 0 %} * ols_z{{ j }}{% endif %}) as ols_score{{ j }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_fit
    where ols_in_fit
    group by {% for column in group_by %}{{ column }}, {% endfor %}ols_cluster
),

ols_meat as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        {% for i in parameters %}{% for j in parameters if j >= i -%}
        sum(ols_score{{ i }} * ols_score{{ j }}) as ols_meat{{ i }}_{{ j }}{% if not (i == k and j == k) %},{% endif %}
        {% endfor %}{% endfor %}
    from ols_cluster_scores
    {{ ols_group_by('ols_cluster_scores', group_by) }}
),

{% elif cov_type != 'nonrobust' -%}
{#- Heteroskedasticity-robust meat: each row's squared (whitened) residual, inflated by its
    leverage for HC2 (1 / (1 - h)) and HC3 (1 / (1 - h)^2). -#}
ols_meat as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        {% for i in parameters %}{% for j in parameters if j >= i -%}
        sum(ols_omega{% if i > 0 %} * ols_z{{ i }}{% endif %}{% if j > 0 %} * ols_z{{ j }}{% endif %}) as ols_meat{{ i }}_{{ j }}{% if not (i == k and j == k) %},{% endif %}
        {% endfor %}{% endfor %}
    from (
        select
            ols_fit.*,
            case when ols_leverage < 1 - {{ tolerance }} then
                ols_w * ols_w * ols_residual * ols_residual
                {%- if cov_type == 'HC2' %} / (1 - ols_leverage){% elif cov_type == 'HC3' %} / ((1 - ols_leverage) * (1 - ols_leverage)){% endif %}
            end as ols_omega
        from ols_fit
        where ols_in_fit
    ) as ols_weighted_residuals
    {{ ols_group_by('ols_weighted_residuals', group_by) }}
),

{% endif -%}

{#- Per term, its coefficient as a linear combination e'g of the standardised parameters g, and
    q = A e with A the inverse of their cross-product matrix: var = sigma^2 e'q (nonrobust) or
    q' M q (sandwich, M the meat). -#}
ols_term_vectors as (
    select
        {{ ols_group_columns('ols_estimates', group_by) }}ols_estimates.ols_n,
        ols_estimates.ols_r2_tss as ols_tss,
        ols_fit_summary.ols_ssr,
        ols_fit_summary.ols_count_full_leverage,
        {% if cluster %}ols_fit_summary.ols_count_clusters,
        {% endif -%}
        case ols_terms.ols_t{% if intercept %} when 0 then 'intercept'{% endif %}{% for column in x %} when {{ loop.index }} then '{{ column }}'{% endfor %} end as term,
        case ols_terms.ols_t{% for t in parameters %} when {{ t }} then ols_estimates.ols_b{{ t }}{% endfor %} end as estimate,
        case ols_terms.ols_t{% for j in regressors %} when {{ j }} then ols_estimates.ols_vif{{ j }}{% endfor %} end as vif,
        {% if intercept -%}
        case ols_terms.ols_t when 0 then 1 else 0 end as ols_e0,
        case ols_terms.ols_t when 0 then 1 / ols_estimates.ols_sw else 0 end as ols_q0,
        {% endif -%}
        {% for l in regressors -%}
        case ols_terms.ols_t
            {% if intercept %}when 0 then -ols_estimates.ols_m{{ l }} / ols_estimates.ols_s{{ l }}{% endif %}
            when {{ l }} then 1 / ols_estimates.ols_s{{ l }}
            else 0
        end as ols_e{{ l }},
        case ols_terms.ols_t
            {% if intercept %}when 0 then -({% for m in regressors %}{% if not loop.first %} + {% endif %}ols_estimates.{{ ols_entry('ols_a', l, m) }} * ols_estimates.ols_m{{ m }} / ols_estimates.ols_s{{ m }}{% endfor %}){% endif %}
            {% for j in regressors %}when {{ j }} then ols_estimates.{{ ols_entry('ols_a', l, j) }} / ols_estimates.ols_s{{ j }}
            {% endfor -%}
        end as ols_q{{ l }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_estimates
    inner join ols_fit_summary
        on {{ ols_same_group('ols_estimates', 'ols_fit_summary', group_by) }}
    cross join (
        values {% for t in parameters %}({{ t }}){% if not loop.last %}, {% endif %}{% endfor %}
    ) as ols_terms (ols_t)
),

ols_terms as (
    select
        ols_term_vectors.*,
        case when ols_n > {{ count_params }}{% if cov_type == 'cluster' %} and ols_count_clusters > 1{% endif %} then
            {% if cov_type == 'nonrobust' -%}
            ols_ssr / (ols_n - {{ count_params }}) * ({% for j in parameters %}{% if not loop.first %} + {% endif %}ols_e{{ j }} * ols_q{{ j }}{% endfor %})
            {%- else -%}
            {%- if cov_type == 'HC1' %}ols_n / (ols_n - {{ count_params }}) * {% endif -%}
            {%- if cov_type == 'cluster' %}ols_count_clusters / (ols_count_clusters - 1) * (ols_n - 1) / (ols_n - {{ count_params }}) * {% endif -%}
            ({{ ols_quadratic_form('ols_q', 'ols_meat', parameters) }})
            {%- endif %}
        end as ols_variance
    from ols_term_vectors
    {% if cov_type != 'nonrobust' -%}
    inner join ols_meat
        on {{ ols_same_group('ols_term_vectors', 'ols_meat', group_by) }}
    {%- endif %}
)

select
    {% for column in group_by %}{{ column }},
    {% endfor -%}
    term,
    estimate,
    case
        when ols_variance >= 0{% if cov_type in ['HC2', 'HC3'] %} and ols_count_full_leverage = 0{% endif %}
            then sqrt(ols_variance)
    end as std_error,
    ols_n as count_obs,
    {{ count_params }} as count_params,
    ols_n - {{ count_params }} as df_resid,
    case when ols_tss > 0 then 1 - ols_ssr / ols_tss end as r_squared,
    case when ols_n > {{ count_params }} then sqrt(ols_ssr / (ols_n - {{ count_params }})) end as rmse,
    vif{% if cluster %},
    ols_count_clusters as count_clusters{% endif %}
from ols_terms
{%- endmacro %}
