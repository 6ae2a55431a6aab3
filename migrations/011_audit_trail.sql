-- The audit trail: one row per access to clinical data (reads, searches, queries with
-- their text, writes, template uploads), failures included. Rows are only ever added.
create table audit_event (
  id             bigserial primary key,
  recorded_at    timestamptz not null default clock_timestamp(),
  correlation_id text not null,
  -- who: the token's subject and client, the party acted for, and the stated purpose of use
  subject        text,
  client_id      text,
  on_behalf_of   text,
  purpose        text,
  action         text not null,
  method         text not null,
  path           text not null,
  status         integer not null,
  outcome        text not null check (outcome in ('success', 'failure', 'aborted')),
  ehr_ids        uuid[] not null default '{}',
  resources      text[] not null default '{}',
  query          text,
  details        jsonb
);
create index audit_event_time_idx on audit_event (recorded_at);
create index audit_event_subject_idx on audit_event (subject, recorded_at);
create index audit_event_correlation_idx on audit_event (correlation_id);
create index audit_event_ehr_idx on audit_event using gin (ehr_ids);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit trail is append-only';
end;
$$;
create trigger audit_event_no_change before update or delete on audit_event
  for each row execute function audit_event_append_only();
