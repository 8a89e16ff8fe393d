-- Relay claims: a (code, route) row is now written BEFORE the first attempt, by the instance that is about to send.
-- owner/lease_until say who is sending and until when the claim holds; a claim whose owner died (lease passed) may be
-- taken over. 'claimed' = an attempt is under way; 'pending' = between two attempts (waiting for a retry).
alter table otp_delivery add column owner text, add column lease_until timestamptz;
alter table otp_delivery drop constraint otp_delivery_status_check;
alter table otp_delivery add constraint otp_delivery_status_check
    check (status in ('claimed', 'pending', 'delivered', 'failed', 'expired', 'unroutable'));

-- Key rotation: which key (kid) sealed each stored ciphertext. Null: written before the keyring, under the raw
-- BROCARD_OTP_ENCRYPTION_KEY (re-encryption rewrites these rows too).
alter table delivery_route add column secret_kid text;
alter table quarantined_webhook add column body_kid text;

-- One row per keyed digest that must stay stable across key rotations (the body fingerprint): a check value of the key
-- in use, so a deployment that would silently change it (and turn every replay into a dedup conflict) refuses to start.
create table key_check (
    purpose      text primary key,
    check_value  bytea       not null,
    created_at   timestamptz not null
);
