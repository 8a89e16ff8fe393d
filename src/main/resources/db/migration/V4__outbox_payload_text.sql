-- The outbox payload is written once and read back only to be sent as the Kafka record's value: storing it as text
-- spares PostgreSQL a JSON parse on every insert and a jsonb-to-text rendering on every claim, thousands of times a
-- second. It is still JSON (written by the service); cast with payload::jsonb to query it.
alter table outbox_event alter column payload type text using payload::text;
