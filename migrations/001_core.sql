-- The persistence core: EHRs, versioned objects and their versions, contributions
-- and templates. Every clinical table carries ehr_id and leads its primary key with
-- it, so that the tables can later be distributed (co-located) by EHR.

create table ehr (
  ehr_id        uuid primary key,
  system_id     text not null,
  time_created  timestamptz not null,
  -- The versioned objects every EHR owns: its EHR_STATUS and, once created, its directory.
  ehr_status_id uuid not null,
  directory_id  uuid,
  -- Consent flags copied from the latest EHR_STATUS, read on every commit and query.
  is_queryable  boolean not null default true,
  is_modifiable boolean not null default true
);

-- Subject lookup: one EHR per subject id and namespace (EHR_STATUS.subject.external_ref).
-- A lookup table keyed by subject, not by EHR.
create table ehr_subject (
  namespace  text not null,
  subject_id text not null,
  ehr_id     uuid not null references ehr (ehr_id),
  constraint ehr_subject_pkey primary key (namespace, subject_id)
);
create index ehr_subject_ehr_idx on ehr_subject (ehr_id);

create table contribution (
  ehr_id          uuid not null references ehr (ehr_id),
  contribution_id uuid not null,
  system_id       text not null,
  time_committed  timestamptz not null,
  -- AUDIT_DETAILS of the contribution, canonical JSON.
  audit           jsonb not null,
  constraint contribution_pkey primary key (ehr_id, contribution_id)
);

create table versioned_object (
  ehr_id         uuid not null references ehr (ehr_id),
  object_id      uuid not null,
  rm_type        text not null check (rm_type in ('COMPOSITION', 'EHR_STATUS', 'FOLDER')),
  time_created   timestamptz not null,
  -- The version number of the newest version; updated only with a compare-and-set on the
  -- previous value, which is what makes If-Match updates safe under concurrency.
  latest_version integer not null,
  constraint versioned_object_pkey primary key (ehr_id, object_id)
);

create table object_version (
  ehr_id            uuid not null,
  object_id         uuid not null,
  version           integer not null check (version >= 1),
  contribution_id   uuid not null,
  system_id         text not null,
  -- openEHR terminology codes: change type (249 creation, 251 modification, 523 deleted, ...)
  -- and version lifecycle state (532 complete, 553 incomplete, 523 deleted).
  change_type       text not null,
  lifecycle_state   text not null,
  time_committed    timestamptz not null,
  -- The version's commit AUDIT_DETAILS, canonical JSON.
  audit             jsonb not null,
  archetype_node_id text,
  template_id       text,
  -- The object itself in canonical JSON; null for a deletion.
  data              jsonb,
  constraint object_version_pkey primary key (ehr_id, object_id, version),
  constraint object_version_object_fk foreign key (ehr_id, object_id) references versioned_object (ehr_id, object_id),
  constraint object_version_contribution_fk foreign key (ehr_id, contribution_id) references contribution (ehr_id, contribution_id)
);
create index object_version_contribution_idx on object_version (ehr_id, contribution_id);
create index object_version_time_idx on object_version (ehr_id, object_id, time_committed);

create table template (
  template_id text primary key,
  -- The OPT as uploaded, and a digest of it to tell a re-upload from a different template.
  opt         text not null,
  sha256      text not null,
  concept     text,
  archetype_id text,
  uploaded_at timestamptz not null default now()
);
