-- outbox_event_due (V3) served the claim in id order; since V6 the claim walks outbox_event_claim
-- (next_attempt_at, id), and the hand-off claims by primary key. Nothing reads the old index any more, but every
-- outbox insert and every "mark published" still paid to maintain it (the update is not HOT: published_at is in
-- the indexes' predicates).
drop index if exists outbox_event_due;
