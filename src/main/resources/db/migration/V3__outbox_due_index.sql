-- The publisher claims the oldest unpublished rows in id order. With the group-commit writer the outbox sees
-- thousands of rows a second; this index hands them out in id order without sorting the whole backlog.
create index outbox_event_due on outbox_event (id) where published_at is null;
