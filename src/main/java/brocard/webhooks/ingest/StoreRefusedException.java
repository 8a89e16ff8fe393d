package brocard.webhooks.ingest;

/**
 * A webhook that passed validation but whose content the database refuses to store (a value of a kind validation
 * does not yet foresee). Refused for its content like an invalid one: answered 422 and kept in quarantine, where its
 * raw bytes are stored encrypted and so cannot fail the same way.
 */
public class StoreRefusedException extends RuntimeException {

    public StoreRefusedException() {
        super("The webhook contains a value that cannot be stored.", null, false, false);
    }
}
