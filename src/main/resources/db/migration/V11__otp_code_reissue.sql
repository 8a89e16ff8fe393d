-- Re-issued 3DS codes: Brocard may send the same code id again with a NEW code (the cardholder asked for another).
-- That is a new event to deliver, not a conflict. Each row of otp_code_event is now one (code id, code), told apart by
-- a keyed fingerprint of the code (HMAC under the body-fingerprint key, never the code itself). Rows written before
-- this release have none (null): the code then counts as unknown (see docs/relay.md, "Re-issued codes").
alter table otp_code_event add column code_fingerprint bytea;
alter table otp_code_event drop constraint otp_code_event_dedup;
create unique index otp_code_event_dedup on otp_code_event (otp_id, coalesce(code_fingerprint, '\x'::bytea));

-- The relay's claims are per (code id, code, route): a re-issued code is a new delivery to a route that already got
-- the earlier code; an exact redelivery of the same code is not. 'superseded': never sent, because a newer code of
-- the same code id had already reached the relay (a stale code must not follow the fresh one to the cardholder).
alter table otp_delivery add column code_fingerprint bytea;
drop index otp_delivery_once;
create unique index otp_delivery_once
    on otp_delivery (otp_id, coalesce(code_fingerprint, '\x'::bytea), coalesce(route_id, 0));
alter table otp_delivery drop constraint otp_delivery_status_check;
alter table otp_delivery add constraint otp_delivery_status_check
    check (status in ('claimed', 'pending', 'delivered', 'failed', 'expired', 'unroutable', 'superseded'));
