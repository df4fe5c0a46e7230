{% test compact_key_is_distinct(model, column_name, raw, per) %}
-- Groups (`per`) of the raw relation in which two different keys share one compact key.
select {{ per }}
from {{ raw }}
group by {{ per }}
having count(distinct {{ column_name }}) <> count(distinct {{ compact_key(column_name) }})
{% endtest %}
