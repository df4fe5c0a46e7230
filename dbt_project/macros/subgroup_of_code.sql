{# subgroup_type and subgroup (Urban Institute's labels) of a subgroup code as SEDA (wht, blk,
   ...) and County Health Rankings (white, black, ...) write them; unknown codes keep the code. #}
{% macro subgroup_of_code(code) -%}
    case
        when {{ code }} = 'all' then 'all'
        when {{ code }} in ('fem', 'mal') then 'gender'
        when {{ code }} in ('ecd', 'nec') then 'income'
        else 'race-ethnicity'
    end as subgroup_type,
    case {{ code }}
        when 'all' then 'All'
        when 'wht' then 'White, Non-Hispanic'
        when 'white' then 'White, Non-Hispanic'
        when 'blk' then 'Black, Non-Hispanic'
        when 'black' then 'Black, Non-Hispanic'
        when 'hsp' then 'Hispanic'
        when 'hispanic' then 'Hispanic'
        when 'asn' then 'Asian, Non-Hispanic'
        when 'asian' then 'Asian or Pacific Islander, Non-Hispanic'
        when 'nam' then 'Native American, Non-Hispanic'
        when 'aian' then 'American Indian or Alaska Native, Non-Hispanic'
        when 'nhopi' then 'Native Hawaiian or Other Pacific Islander, Non-Hispanic'
        when 'tom' then 'Two or More Races, Non-Hispanic'
        when 'fem' then 'Female'
        when 'mal' then 'Male'
        when 'ecd' then 'Economically Disadvantaged'
        when 'nec' then 'Not Economically Disadvantaged'
        else {{ code }}
    end as subgroup
{%- endmacro %}
