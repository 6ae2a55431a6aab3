-- FHIR resource ids name a composition, not its EHR: reads find the EHR by object id.
create index versioned_object_object_idx on versioned_object (object_id);
