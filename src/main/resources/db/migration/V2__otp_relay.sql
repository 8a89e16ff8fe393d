-- OTP relay: who receives a cardholder's 3DS codes, and what became of each delivery.

create table recipient (
    recipient_id  bigint primary key,       -- Brocard user id (the 3DS webhook's recipient_id)
    display_name  text        not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

create table delivery_route (
    id                bigint generated always as identity primary key,
    recipient_id      bigint  not null references recipient on delete cascade,
    position          int     not null,
    channel           text    not null check (channel in ('telegram', 'webhook', 'slack', 'email')),
    target            text    not null,     -- chat id, https URL or e-mail address
    secret_encrypted  bytea,                -- webhook signing secret, AES-256-GCM
    enabled           boolean not null,
    label             text
);
create index delivery_route_recipient on delivery_route (recipient_id, position);

-- One row per (code, route): the relay never sends a code twice to a route once it was accepted there, whatever
-- Kafka redelivers. Never holds the code itself.
create table otp_delivery (
    id            bigint generated always as identity primary key,
    otp_id        bigint      not null,
    recipient_id  bigint      not null,
    route_id      bigint,                   -- null: the code had no route at all (unroutable)
    channel       text,
    fallback      boolean     not null,
    status        text        not null check (status in ('pending', 'delivered', 'failed', 'expired', 'unroutable')),
    attempts      int         not null default 0,
    received_at   timestamptz not null,     -- when the webhook was received
    created_at    timestamptz not null,
    finished_at   timestamptz,
    latency_ms    bigint,                   -- webhook receipt to channel acceptance
    last_error    text                      -- error class only
);
create unique index otp_delivery_once on otp_delivery (otp_id, coalesce(route_id, 0));
create index otp_delivery_status on otp_delivery (status, created_at);
