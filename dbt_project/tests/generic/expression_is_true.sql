{% test expression_is_true(model, expression) %}
-- Rows for which a row-level rule does not hold (null counts as not holding).
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
