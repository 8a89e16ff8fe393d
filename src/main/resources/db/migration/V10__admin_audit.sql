-- Audit log of the operator API: who (the operator token's name) changed what, when. Written in the same transaction
-- as the change it describes, so a change without its audit row (or the reverse) cannot be committed.
-- Never holds secrets: route secrets, tokens and URL credentials are redacted before they get here.
create table admin_audit (
    id       bigint generated always as identity primary key,
    at       timestamptz not null default now(),
    actor    text        not null,   -- the operator token's name (brocard.admin.tokens), never the token
    action   text        not null,   -- e.g. recipient.create, recipient.replace, recipient.delete, quarantine.replay
    target   text        not null,   -- e.g. recipient/990000001, quarantine/<uuid>
    details  jsonb       not null    -- what changed (before/after, outcome), redacted
);
create index admin_audit_at on admin_audit (at desc, id desc);
create index admin_audit_target on admin_audit (target, id desc);

-- Append-only: an audit row is never rewritten. (Removing old rows for retention stays possible with DELETE.)
create function admin_audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'admin_audit is append-only: rows are never updated';
end
$$;
create trigger admin_audit_no_update before update on admin_audit
    for each row execute function admin_audit_append_only();
