-- Marking an outbox row published is an UPDATE, and PostgreSQL writes a whole new row version for it: with the
-- ~1.5 KB payload inline that is a wide copy (and its WAL) for every event. Kept out of line in TOAST (uncompressed,
-- EXTERNAL), the payload is written once; the row version the UPDATE writes carries only a pointer to it.
alter table outbox_event alter column payload set storage external;
alter table outbox_event set (toast_tuple_target = 256);
