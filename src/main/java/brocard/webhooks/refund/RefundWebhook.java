package brocard.webhooks.refund;

import brocard.webhooks.ingest.ProviderDate;

import java.math.BigDecimal;

/** The columns of a refund webhook that people query; the whole body is stored beside them. */
public record RefundWebhook(
        long id,
        BigDecimal amount,
        String currency,
        Long cardId,
        String cardLastFour,
        Long userId,
        String userUuid,
        Long teamId,
        ProviderDate date) {}
