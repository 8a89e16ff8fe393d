package brocard.webhooks.payment;

import brocard.webhooks.ingest.ProviderDate;

import java.math.BigDecimal;

/** The columns of a payment webhook that people query; the whole body is stored beside them. */
public record PaymentWebhook(
        long id,
        BigDecimal amount,
        String currency,
        long stateValue,
        String stateLabel,
        String decline,
        Boolean isMicro,
        Long merchantId,
        String merchantMcc,
        String merchantName,
        String merchantDescriptor,
        String merchantCountry,
        Long cardId,
        String cardLastFour,
        Long userId,
        String userUuid,
        Long teamId,
        ProviderDate date,
        ProviderDate dateReceived,
        ProviderDate dateFinalState) {

    public PaymentState state() {
        return PaymentState.of(stateValue);
    }

    /** Published {@code id}, {@code state} pair as one text: the dedup key of a payment event. */
    public String dedupKey() {
        return id + "/" + stateValue;
    }
}
