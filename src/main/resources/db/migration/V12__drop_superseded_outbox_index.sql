-- outbox_event_due (V3) served the claim in id order; since V6 the claim walks outbox_event_claim
-- (next_attempt_at, id), and the hand-off claims by primary key. Nothing reads the old index any more, but every
-- outbox insert and every "mark published" still paid to maintain it (the update is not HOT: published_at is in
-- the indexes' predicates).
-- CONCURRENTLY: a plain DROP INDEX takes an ACCESS EXCLUSIVE lock on outbox_event, which during a rolling deploy
-- would queue behind the old replicas' publisher transactions and block every insert meanwhile. Flyway runs this
-- statement outside a transaction (it cannot run inside one).
drop index concurrently if exists outbox_event_due;
