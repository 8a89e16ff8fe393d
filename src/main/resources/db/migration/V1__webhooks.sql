-- Every webhook kind has an event table whose unique key IS the deduplication: writers insert with
-- ON CONFLICT DO NOTHING, which holds across concurrent requests and replicas (no read-then-write).
-- Amounts are numeric (exact); provider dates are kept as sent (text) and as instants under the configured zone.

create table payment_event (
    id                   bigint generated always as identity primary key,
    event_id             uuid        not null unique,
    payment_id           bigint      not null,
    state_value          bigint      not null,
    state_label          text,
    amount               numeric     not null,
    currency             text        not null,
    decline              text,
    is_micro             boolean,
    merchant_id          bigint,
    merchant_mcc         text,
    merchant_name        text,
    merchant_descriptor  text,
    merchant_country     text,
    card_id              bigint,
    card_last_four       text,
    user_id              bigint,
    user_uuid            text,
    team_id              bigint,
    provider_date        text,
    provider_date_at     timestamptz,
    date_received        text,
    date_received_at     timestamptz,
    date_final_state     text,
    date_final_state_at  timestamptz,
    body                 jsonb       not null,
    fingerprint          bytea       not null,
    received_at          timestamptz not null,
    -- A payment's state change is a new event; the same state again is a duplicate.
    constraint payment_event_dedup unique (payment_id, state_value)
);
create index payment_event_received_at on payment_event (received_at);
create index payment_event_card on payment_event (card_id);
create index payment_event_user on payment_event (user_id);

-- Current state per payment. A late Pending never overwrites a final state (see PaymentIngestor).
create table payment (
    payment_id     bigint primary key,
    state_value    bigint      not null,
    amount         numeric     not null,
    currency       text        not null,
    last_event_id  uuid        not null,
    updated_at     timestamptz not null
);

create table refund_event (
    id               bigint generated always as identity primary key,
    event_id         uuid        not null unique,
    refund_id        bigint      not null,
    amount           numeric     not null,
    currency         text        not null,
    card_id          bigint,
    card_last_four   text,
    user_id          bigint,
    user_uuid        text,
    team_id          bigint,
    provider_date    text,
    provider_date_at timestamptz,
    body             jsonb       not null,
    fingerprint      bytea       not null,
    received_at      timestamptz not null,
    constraint refund_event_dedup unique (refund_id)
);
create index refund_event_received_at on refund_event (received_at);

-- No code or password here, in any form: the body is stored without them and the event carries them encrypted.
create table otp_code_event (
    id              bigint generated always as identity primary key,
    event_id        uuid        not null unique,
    otp_id          bigint      not null,
    recipient_id    bigint      not null,
    amount          numeric     not null,
    currency        text        not null,
    card_id         bigint,
    card_last_four  text,
    has_password    boolean     not null,
    body            jsonb       not null,
    fingerprint     bytea       not null,
    received_at     timestamptz not null,
    expires_at      timestamptz not null,
    constraint otp_code_event_dedup unique (otp_id)
);
create index otp_code_event_recipient on otp_code_event (recipient_id, received_at);

-- webhook_type values this release does not know: kept, counted, not published.
create table unrecognized_webhook (
    id           bigint generated always as identity primary key,
    webhook_type text        not null,
    provider_id  bigint,
    body         jsonb       not null,
    fingerprint  bytea       not null,
    received_at  timestamptz not null,
    constraint unrecognized_webhook_dedup unique (webhook_type, fingerprint)
);

-- Same dedup key, different body: the first body won; the later one is kept here for an operator.
create table dedup_conflict (
    id           bigint generated always as identity primary key,
    webhook_type text        not null,
    dedup_key    text        not null,
    body         jsonb       not null,
    received_at  timestamptz not null
);

-- Refused requests: nothing Brocard sends is dropped. Bodies are encrypted (they may hold an OTP code).
create table quarantined_webhook (
    id              uuid primary key,
    received_at     timestamptz not null,
    endpoint        text        not null,
    reason          text        not null,
    http_status     int         not null,
    message         text        not null,
    field_errors    jsonb       not null,
    content_type    text,
    remote_address  text,
    user_agent      text,
    body_size       int         not null,
    -- Null once purged: bodies that may hold a 3DS secret are dropped after the secret TTL.
    body_encrypted  bytea,
    may_contain_secret boolean  not null,
    body_preview    jsonb,
    replayed_at     timestamptz,
    replay_outcome  text
);
create index quarantined_webhook_received_at on quarantined_webhook (received_at);
create index quarantined_webhook_secrets on quarantined_webhook (received_at)
    where may_contain_secret and body_encrypted is not null;

-- Transactional outbox: written in the webhook's transaction, published by any replica (FOR UPDATE SKIP LOCKED).
create table outbox_event (
    id               bigint generated always as identity primary key,
    event_id         uuid        not null unique,
    topic            text        not null,
    record_key       text        not null,
    event_type       text        not null,
    subject          text        not null,
    event_time       timestamptz not null,
    payload          jsonb       not null,
    contains_secret  boolean     not null default false,
    created_at       timestamptz not null,
    published_at     timestamptz,
    attempts         int         not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text
);
-- The publisher's work queue: unpublished rows, per key in order (a key's next row waits for its predecessor).
create index outbox_event_unpublished on outbox_event (topic, record_key, id) where published_at is null;
create index outbox_event_published_at on outbox_event (published_at) where published_at is not null;
create index outbox_event_secrets on outbox_event (created_at) where contains_secret;
