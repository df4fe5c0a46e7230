{# Fitted values, residuals, leverage and prediction standard errors of a least-squares fit per
   group: a select (for a CTE body) of one row per input row. Documented in macros/_macros.yml. #}
{% macro ols_fitted(relation, y, x, group_by=[], id_columns=[], weight=none, intercept=true, tolerance=1e-10) -%}
{%- set count_params = (x | length) + (1 if intercept else 0) -%}
with {{ ols_fit_ctes(relation, y, x, group_by, weight, none, intercept, tolerance, id_columns, keep_all_rows=true) }}

select
    {% for column in group_by + id_columns %}ols_fit.{{ column }},
    {% endfor -%}
    ols_fit.ols_y as observed,
    ols_fit.ols_fitted as fitted,
    ols_fit.ols_residual as residual,
    ols_fit.ols_leverage as leverage,
    {#- A new observation's error variance sigma^2 / w plus the fit's, sigma^2 h / w. #}
    case when ols_fit_summary.ols_n > {{ count_params }} and ols_fit.ols_w > 0 then
        sqrt(ols_fit_summary.ols_ssr / (ols_fit_summary.ols_n - {{ count_params }}) * (1 + ols_fit.ols_leverage) / ols_fit.ols_w)
    end as prediction_se
from ols_fit
left join ols_fit_summary
    on {{ ols_same_group('ols_fit', 'ols_fit_summary', group_by) }}
{%- endmacro %}
