-- The AQL query index: one row per containable node of the latest version of every
-- versioned object (COMPOSITION, EHR_STATUS, FOLDER). CONTAINS is answered with nested-set
-- intervals, archetype and node predicates with indexed columns, and a path into the data
-- reads the small JSON of the node it ends in. History stays in object_version only.
-- Rows are written by the store's indexer inside the commit transaction; see
-- packages/store/README.md ("The AQL query index") for the design and its measurements.

create table aql_node (
  ehr_id            uuid not null,
  vo_id             uuid not null,
  -- Pre-order position in the object (0 = the object itself) and the position of its
  -- last descendant: the descendants of a node are the rows with num in (num, num_cap].
  num               integer not null,
  num_cap           integer not null,
  parent_num        integer,
  -- The attribute of the parent that holds the node (content, items, data, context ...).
  attr              text,
  -- The indexed version of the object, and its type.
  version           integer not null,
  obj_type          text not null,
  rm_type           text not null,
  archetype_node_id text,
  -- name/value
  name              text,
  -- The nearest archetype root at or above the node (the node itself when it is one),
  -- its archetype id, and the node's path from it: /data[at0001]/events[at0006]/...
  arch_root         integer not null,
  arch_id           text,
  arch_path         text not null,
  -- Where the node is in the object's canonical JSON (object_version.data #> json_path).
  json_path         text[] not null,
  -- The node's own attributes: its JSON without the attributes that hold child nodes.
  data              jsonb not null,
  -- ELEMENT.value.magnitude (quantities and counts), so that the commonest population
  -- filter, a magnitude of one node of one archetype, is answered from an index alone.
  magnitude         numeric,
  constraint aql_node_pkey primary key (ehr_id, vo_id, num)
);

-- Population queries: the nodes of one archetype, and one node of one archetype (with
-- what a filter on its magnitude needs, for index-only scans).
create index aql_node_archetype_idx on aql_node (archetype_node_id, rm_type);
create index aql_node_arch_path_idx on aql_node (arch_id, arch_path, magnitude) include (ehr_id, vo_id, arch_root, obj_type);
create statistics aql_node_arch_stats (dependencies) on arch_id, arch_path from aql_node;
-- Queries of one EHR: its nodes by class and archetype.
create index aql_node_ehr_type_idx on aql_node (ehr_id, rm_type, archetype_node_id);

-- The compositions a folder lists in FOLDER.items (versioned object ids), for
-- FOLDER f CONTAINS COMPOSITION c. num is the folder's node in the directory.
create table aql_folder_item (
  ehr_id uuid not null,
  vo_id  uuid not null,
  num    integer not null,
  target uuid not null,
  constraint aql_folder_item_pkey primary key (ehr_id, vo_id, num, target)
);
create index aql_folder_item_target_idx on aql_folder_item (ehr_id, target);

-- Value helpers used by compiled AQL. SQL functions, inlined by the planner.

-- The text of an ISO 8601 date-time as an instant, or null when it is not one (partial
-- dates, basic format, anything else). Without an offset the session time zone (UTC) applies.
create function aql_instant(value text) returns timestamptz
language sql stable parallel safe as $$
  select case when value ~ '^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$'
              then value::timestamptz end
$$;

-- The ISO 8601 duration of a text as an interval, or null.
create function aql_duration(value text) returns interval
language sql immutable parallel safe as $$
  select case when value ~ '^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$'
              then value::interval end
$$;

-- A JSON number as numeric, or null.
create function aql_number(value jsonb) returns numeric
language sql immutable parallel safe as $$
  select case when jsonb_typeof(value) = 'number' then value::numeric end
$$;

-- The number a DV_ORDERED quantity is compared and ordered by, or null for anything else.
create function aql_dv_number(value jsonb) returns numeric
language sql immutable parallel safe as $$
  select case value->>'_type'
    when 'DV_QUANTITY' then aql_number(value->'magnitude')
    when 'DV_COUNT' then aql_number(value->'magnitude')
    when 'DV_ORDINAL' then aql_number(value->'value')
    when 'DV_SCALE' then aql_number(value->'value')
    when 'DV_PROPORTION' then aql_number(value->'numerator') / nullif(aql_number(value->'denominator'), 0)
  end
$$;

-- The primitive a DV_ORDERED value is ordered by, as JSON: a number (durations in seconds),
-- or the text of a date, time or date-time; null for data values that are not ordered.
create function aql_dv_primitive(value jsonb) returns jsonb
language sql immutable parallel safe as $$
  select case
    when jsonb_typeof(value) <> 'object' then null
    when value->>'_type' in ('DV_QUANTITY', 'DV_COUNT', 'DV_ORDINAL', 'DV_SCALE', 'DV_PROPORTION')
      then to_jsonb(aql_dv_number(value))
    when value->>'_type' = 'DV_DURATION' then to_jsonb(extract(epoch from aql_duration(value->>'value')))
    when value->>'_type' in ('DV_DATE_TIME', 'DV_DATE', 'DV_TIME') then value->'value'
  end
$$;

-- A request to (re)build the index from the versions already stored: set here when this
-- migration meets existing data, cleared by rebuildAqlIndex() once every object is indexed.
create table aql_index_rebuild (
  requested_at timestamptz not null default now()
);
insert into aql_index_rebuild (requested_at) select now() where exists (select 1 from versioned_object);

-- What a value is compared and ordered by: the primitive of a DV_ORDERED, a JSON
-- primitive as itself, null for other objects.
create function aql_ordered(value jsonb) returns jsonb
language sql immutable parallel safe as $$
  select case when jsonb_typeof(value) = 'object' then aql_dv_primitive(value) else value end
$$;

-- The elements of a JSON array; a single value stands for itself; nothing for null.
create function aql_elements(value jsonb) returns setof jsonb
language sql immutable parallel safe as $$
  select jsonb_array_elements(case
    when value is null or jsonb_typeof(value) = 'null' then '[]'::jsonb
    when jsonb_typeof(value) = 'array' then value
    else jsonb_build_array(value) end)
$$;

-- A JSON scalar as text (strings without quotes), null for objects and arrays.
create function aql_text(value jsonb) returns text
language sql immutable parallel safe as $$
  select case when jsonb_typeof(value) in ('string', 'number', 'boolean') then value #>> '{}' end
$$;

-- What ORDER BY sorts a value by: a DV_ORDERED by its primitive (date-times as instants),
-- other data values by their value, JSON primitives as themselves.
create function aql_sort(value jsonb) returns jsonb
language sql stable parallel safe as $$
  select case
    when jsonb_typeof(value) <> 'object' then value
    when value->>'_type' = 'DV_DATE_TIME' then coalesce(to_jsonb(aql_instant(value->>'value')), value->'value')
    else coalesce(aql_dv_primitive(value), value->'value', value)
  end
$$;
