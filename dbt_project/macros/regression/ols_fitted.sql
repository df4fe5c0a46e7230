{# Fitted values, residuals, leverage and prediction standard errors of a least-squares fit per
   group: a select (for a CTE body) of one row per input row. Documented in macros/_macros.yml. #}
{% macro ols_fitted(relation, y, x, group_by=[], id_columns=[], weight=none, intercept=true, tolerance=1e-10) -%}
{%- set count_params = (x | length) + (1 if intercept else 0) -%}
with {{ ols_fit_ctes(relation, y, x, group_by, weight, none, intercept, tolerance, id_columns, keep_all_rows=true) }},

ols_fit_with_group as (
    select
        ols_fit.*,
        sum(case when ols_in_fit then ols_w * ols_residual * ols_residual end) {{ ols_over_group(group_by) }} as ols_ssr,
        sum(case when ols_in_fit then 1 else 0 end) {{ ols_over_group(group_by) }} as ols_n
    from ols_fit
)

select
    {% for column in group_by + id_columns %}{{ column }},
    {% endfor -%}
    ols_y as observed,
    ols_fitted as fitted,
    ols_residual as residual,
    ols_leverage as leverage,
    {#- A new observation's error variance sigma^2 / w plus the fit's, sigma^2 h / w. #}
    case when ols_n > {{ count_params }} and ols_w > 0 then
        sqrt(ols_ssr / (ols_n - {{ count_params }}) * (1 + ols_leverage) / ols_w)
    end as prediction_se
from ols_fit_with_group
{%- endmacro %}
