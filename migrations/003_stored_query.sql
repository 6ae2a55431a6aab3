-- Stored (registered) AQL queries of the Definition API: a qualified name
-- ([namespace::]name) and a SEMVER version; a stored version never changes.
create table stored_query (
  name       text not null,
  major      integer not null check (major >= 0),
  minor      integer not null check (minor >= 0),
  patch      integer not null check (patch >= 0),
  query_type text not null,
  q          text not null,
  saved      timestamptz not null,
  constraint stored_query_pkey primary key (name, major, minor, patch)
);
