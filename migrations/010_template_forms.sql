-- Templates are kept as uploaded and in their parsed forms, so that a server neither
-- re-parses large OPTs on every start nor recomputes web templates per request.
alter table template add column parsed jsonb;
alter table template add column web_template jsonb;
