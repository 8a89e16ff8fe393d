package brocard.webhooks.inbound;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook refused for what it contains. The message and field errors are safe to return and log: they name fields,
 * never values (a value may be an OTP code).
 */
public class InvalidWebhookException extends RuntimeException {

    /** Why a body was refused; also the {@code reason} of its quarantine row and metric tag. */
    public enum Reason {
        UNSUPPORTED_MEDIA_TYPE(415),
        MALFORMED_JSON(400),
        INVALID_FIELDS(422),
        /** Valid as far as validation knows, but a value the database refused to store (see StoreRefusedException). */
        UNSTORABLE_VALUE(422);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;
    private final Map<String, List<String>> fieldErrors;

    public InvalidWebhookException(Reason reason, String message, Map<String, List<String>> fieldErrors) {
        super(message, null, false, false);
        this.reason = reason;
        // Keeps the order fields were checked in: the answer reads top to bottom like the body.
        this.fieldErrors = Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));
    }

    public static InvalidWebhookException fields(Map<String, List<String>> fieldErrors) {
        return new InvalidWebhookException(Reason.INVALID_FIELDS, "The given data was invalid.", fieldErrors);
    }

    public Reason reason() {
        return reason;
    }

    public Map<String, List<String>> fieldErrors() {
        return fieldErrors;
    }
}
