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
{#- Index 0 is the intercept. -#}
{%- set parameters = ([0] if intercept else []) + regressors -%}
{#- The group's values every row carries (max() reads them back). -#}
{%- set carried = ['ols_r2_tss'] -%}
{%- for t in parameters %}{% do carried.extend(['ols_b' ~ t, 'ols_vn' ~ t]) %}{% endfor -%}
{%- for j in regressors %}{% do carried.append('ols_vif' ~ j) %}{% endfor -%}
with {{ ols_fit_ctes(relation, y, x, group_by, weight, cluster, intercept, tolerance) }},

{#- Sandwich variances, parameter by parameter: var_t = q_t' M q_t with M the meat, the sum of
    each row's (HC) or each cluster's (cluster) outer product of its score w u z, so var_t is the
    sum of squares of the rows' or clusters' w u d_t. HC2 and HC3 inflate each squared residual
    by 1 / (1 - h) and 1 / (1 - h)^2. -#}
{% if cov_type == 'cluster' -%}
ols_cluster_scores as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        ols_cluster,
        count(*) as ols_n,
        sum(ols_w * ols_residual * ols_residual) as ols_ssr,
        {% for column in carried -%}
        max({{ column }}) as {{ column }},
        {% endfor -%}
        {% for t in parameters -%}
        sum(ols_w * ols_residual * ols_d{{ t }}) as ols_score{{ t }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_fit
    where ols_in_fit
    group by {% for column in group_by %}{{ column }}, {% endfor %}ols_cluster
),

ols_group_fit as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        sum(ols_n) as ols_n,
        sum(ols_ssr) as ols_ssr,
        count(*) as ols_count_clusters,
        {% for column in carried -%}
        max({{ column }}) as {{ column }},
        {% endfor -%}
        {% for t in parameters -%}
        sum(ols_score{{ t }} * ols_score{{ t }}) as ols_meat{{ t }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from ols_cluster_scores
    {{ ols_group_by('ols_cluster_scores', group_by) }}
),
{%- else %}
ols_group_fit as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        count(*) as ols_n,
        sum(ols_w * ols_residual * ols_residual) as ols_ssr,
        {% if cluster -%}
        count(distinct ols_cluster) as ols_count_clusters,
        {% endif -%}
        sum(case when ols_leverage < 1 - {{ tolerance }} then 0 else 1 end) as ols_count_full_leverage,
        {% for column in carried -%}
        max({{ column }}) as {{ column }}{% if not loop.last or cov_type != 'nonrobust' %},{% endif %}
        {% endfor -%}
        {% if cov_type != 'nonrobust' -%}
        {% for t in parameters -%}
        sum(ols_omega * ols_d{{ t }} * ols_d{{ t }}) as ols_meat{{ t }}{% if not loop.last %},{% endif %}
        {% endfor -%}
        {% endif %}
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
{%- endif %}

{#- nonrobust: sigma^2 (X'WX)^-1; HC1 scales by n / (n - k), cluster by statsmodels' default
    G / (G - 1) * (n - 1) / (n - k). -#}
ols_terms as (
    select
        ols_group_fit.*,
        case ols_term_index.ols_t{% if intercept %} when 0 then 'intercept'{% endif %}{% for column in x %} when {{ loop.index }} then '{{ column }}'{% endfor %} end as term,
        case ols_term_index.ols_t{% for t in parameters %} when {{ t }} then ols_b{{ t }}{% endfor %} end as estimate,
        case ols_term_index.ols_t{% for j in regressors %} when {{ j }} then ols_vif{{ j }}{% endfor %} end as vif,
        case when ols_n > {{ count_params }}{% if cov_type == 'cluster' %} and ols_count_clusters > 1{% endif %} then
            {%- if cov_type == 'nonrobust' %}
            ols_ssr / (ols_n - {{ count_params }}) * case ols_term_index.ols_t{% for t in parameters %} when {{ t }} then ols_vn{{ t }}{% endfor %} end
            {%- else %}
            {% if cov_type == 'HC1' %}ols_n / (ols_n - {{ count_params }}) * {% endif -%}
            {% if cov_type == 'cluster' %}ols_count_clusters / (ols_count_clusters - 1) * (ols_n - 1) / (ols_n - {{ count_params }}) * {% endif -%}
            case ols_term_index.ols_t{% for t in parameters %} when {{ t }} then ols_meat{{ t }}{% endfor %} end
            {%- endif %}
        end as ols_variance
    from ols_group_fit
    cross join (
        values {% for t in parameters %}({{ t }}){% if not loop.last %}, {% endif %}{% endfor %}
    ) as ols_term_index (ols_t)
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
    case when ols_r2_tss > 0 then 1 - ols_ssr / ols_r2_tss end as r_squared,
    case when ols_n > {{ count_params }} then sqrt(ols_ssr / (ols_n - {{ count_params }})) end as rmse,
    vif{% if cluster %},
    ols_count_clusters as count_clusters{% endif %}
from ols_terms
{%- endmacro %}
