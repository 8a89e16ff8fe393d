package brocard.webhooks.ingest;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Refunds deduplicate by refund id, 3DS codes by code id, whichever URL the replay arrives at. */
@QuarkusTest
class RefundAndOtpDeduplicationTest {

    @Inject
    Rows rows;

    @Test
    void aRefundReplayIsADuplicateAndAChangedOneIsAConflict() {
        ObjectNode refund = Samples.fresh("refund-current");
        long id = refund.get("id").asLong();
        Webhooks.post("", refund).statusCode(200).body("status", equalTo("accepted"));
        Webhooks.post("/refunds", refund).statusCode(200).body("status", equalTo("duplicate"));
        refund.put("amount", "1.00");
        Webhooks.post("", refund).statusCode(200).body("status", equalTo("duplicate"));

        assertEquals(1, rows.count("select count(*) from refund_event where refund_id = ?", id));
        assertEquals(
                1,
                rows.count(
                        "select count(*) from dedup_conflict where webhook_type = 'refund' " + "and dedup_key = ?",
                        Long.toString(id)));
        try (TopicReader topic = new TopicReader("brocard.refunds")) {
            topic.exactly(1, Long.toString(id));
        }
    }

    @Test
    void aThreeDsReplayIsADuplicateAndIsNotRelayedTwice() {
        ObjectNode otp = Samples.fresh("otp-example");
        long id = otp.get("id").asLong();
        Webhooks.post("/3ds", otp).statusCode(200).body("status", equalTo("accepted"));
        Webhooks.post("/3ds", otp)
                .statusCode(200)
                .body("status", equalTo("duplicate"))
                .body("id", equalTo((int) id));
        Webhooks.post("", otp).statusCode(200).body("status", equalTo("duplicate"));

        assertEquals(1, rows.count("select count(*) from otp_code_event where otp_id = ?", id));
        try (TopicReader topic = new TopicReader("brocard.otp")) {
            topic.exactly(1, otp.get("recipient_id").asText());
        }
    }
}
