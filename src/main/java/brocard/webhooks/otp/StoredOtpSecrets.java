package brocard.webhooks.otp;

import brocard.webhooks.db.Jdbc;
import brocard.webhooks.json.Json;
import brocard.webhooks.security.Keyring;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The encrypted codes and passwords still stored in outbox rows (until {@link OtpSecretPurger} removes them after the
 * TTL), seen from key rotation: which kid sealed them, and re-sealing them under the current key.
 */
@ApplicationScoped
public class StoredOtpSecrets {

    /** Rows with a secret not sealed under the current kid in the keyring format (pre-keyring rows lack "kdf"). */
    private static final String NOT_CURRENT =
            """
            contains_secret and (payload::jsonb #>> '{code_encrypted,kid}' is distinct from ?
                or payload::jsonb #>> '{code_encrypted,kdf}' is null
                or (payload::jsonb -> 'password_encrypted' is not null
                    and (payload::jsonb #>> '{password_encrypted,kid}' is distinct from ?
                        or payload::jsonb #>> '{password_encrypted,kdf}' is null)))""";

    private final Jdbc jdbc;
    private final OtpSecrets secrets;
    private final Keyring keyring;

    public StoredOtpSecrets(Jdbc jdbc, OtpSecrets secrets, Keyring keyring) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.keyring = keyring;
    }

    /**
     * Re-seals the secrets of up to {@code batch} outbox rows under the current key; rows another replica (or the
     * publisher) holds are skipped and picked up by a later batch.
     *
     * @return how many rows were re-sealed (fewer than {@code batch}: done)
     */
    @Transactional
    public int resealBatch(int batch) {
        String current = keyring.currentKid();
        record Row(long id, String payload) {}
        List<Row> rows = jdbc.query(
                "select id, payload from outbox_event where " + NOT_CURRENT + " limit ? for update skip locked",
                row -> new Row(row.getLong(1), row.getString(2)),
                current,
                current,
                batch);
        for (Row row : rows) {
            ObjectNode data;
            try {
                data = (ObjectNode) Json.mapper().readTree(row.payload());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("outbox row " + row.id() + " holds no JSON object");
            }
            if (secrets.resealUnderCurrentKey(data)) {
                jdbc.update("update outbox_event set payload = ? where id = ?", Json.write(data), row.id());
            }
        }
        return rows.size();
    }

    /** How many outbox rows with a secret each kid sealed ("legacy:<kid>": before the keyring). */
    public Map<String, Long> countByKid() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query(
                """
                select case when payload::jsonb #>> '{code_encrypted,kdf}' is null then 'legacy:' else '' end
                    || coalesce(payload::jsonb #>> '{code_encrypted,kid}', 'none'), count(*)
                from outbox_event where contains_secret group by 1""",
                row -> counts.put(row.getString(1), row.getLong(2)));
        return counts;
    }
}
