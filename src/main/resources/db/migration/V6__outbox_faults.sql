-- Outbox faults (issue 8): a row Kafka refuses for good is parked instead of being retried forever, and the claim
-- takes only the head row of each key (its oldest unpublished row), so a blocked key holds back only itself.

-- Failures Kafka calls permanent (record too large, invalid topic, authorization, ...). Transient ones (broker
-- unreachable, missing topic, partition without leader) are counted in attempts only and never park a row: they are
-- the infrastructure's fault and heal. At brocard.outbox.max-attempts the row is parked.
alter table outbox_event add column permanent_failures int not null default 0;

-- A parked row stays in outbox_event with next_attempt_at = 'infinity': still the head of its key, so the key's later
-- events wait for an operator (retry or skip) instead of overtaking it. One dead_letter row per parking.
create table outbox_dead_letter (
    id           bigint generated always as identity primary key,
    outbox_id    bigint      not null,
    event_id     uuid        not null,
    topic        text        not null,
    record_key   text        not null,
    event_type   text        not null,
    attempts     int         not null,
    last_error   text,                    -- exception class only
    parked_at    timestamptz not null,
    resolved_at  timestamptz,
    resolution   text check (resolution in ('retried', 'skipped')),
    resolved_by  text,                    -- the operator's note (ticket), never a token
    payload      text                     -- kept when skipped (the outbox row is deleted); null for 3DS events
);
create unique index outbox_dead_letter_open on outbox_dead_letter (outbox_id) where resolved_at is null;
create index outbox_dead_letter_parked_at on outbox_dead_letter (parked_at desc);

-- The claim walks due rows in (next_attempt_at, id) order: rows waiting for a retry (a missing topic, an unavailable
-- partition) and parked rows lie beyond now() and cost nothing, however many there are.
create index outbox_event_claim on outbox_event (next_attempt_at, id) where published_at is null;
