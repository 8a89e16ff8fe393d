-- The current state of a payment follows precedence, not arrival order (payment/CurrentPaymentState): a known final
-- state (1 Settled, 2 Void, 4 Declined) is never replaced by Pending (3) or an unknown state; an unknown state replaces
-- only Pending or another unknown state; between final states the later date_final_state wins (a final state without
-- it counts at its receipt); otherwise the later arrival wins.
-- payment.updated_at is the receipt time of the event that set the state; date_final_state_at is that event's.
alter table payment add column date_final_state_at timestamptz;

-- Rows written under the old rule (the last non-Pending arrival won) are recomputed from their events with the new one.
with current_by_precedence as (
    select distinct on (payment_id)
           payment_id, state_value, amount, currency, event_id, received_at, date_final_state_at
    from payment_event
    order by payment_id,
             case when state_value in (1, 2, 4) then 2 when state_value = 3 then 0 else 1 end desc,
             case when state_value in (1, 2, 4) then coalesce(date_final_state_at, received_at) end desc nulls last,
             received_at desc,
             id desc
)
update payment p
set state_value = c.state_value, amount = c.amount, currency = c.currency, last_event_id = c.event_id,
    updated_at = c.received_at, date_final_state_at = c.date_final_state_at
from current_by_precedence c
where p.payment_id = c.payment_id
  and (p.last_event_id <> c.event_id or p.date_final_state_at is distinct from c.date_final_state_at);
