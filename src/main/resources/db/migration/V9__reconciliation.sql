-- Reconciliation with Brocard's REST API (docs/reconciliation.md).

-- How each event arrived: Brocard's webhook, or recovered from the REST API by reconciliation. Published as the
-- CloudEvents extension attribute brocardorigin. Existing rows all came as webhooks.
alter table outbox_event add column origin text not null default 'webhook';

-- One row per reconciliation run, scheduled sweep or operator request. The window is in the provider's time zone,
-- as Brocard's own dates and its list filters are.
create table reconciliation_run (
    id             bigint generated always as identity primary key,
    trigger        text        not null,   -- scheduled | operator
    window_from    timestamp   not null,
    window_to      timestamp   not null,
    kinds          text[]      not null,   -- payments, refunds
    status         text        not null,   -- running | succeeded | failed
    scanned        int         not null default 0,
    recovered      int         not null default 0,
    already_known  int         not null default 0,
    conflicts      int         not null default 0,
    invalid        int         not null default 0,
    error          text,
    started_at     timestamptz not null,   -- requested
    claimed_at     timestamptz,            -- took the sweep lock and began; null while waiting for it
    finished_at    timestamptz
);
create index reconciliation_run_started_at on reconciliation_run (started_at);
