package brocard.webhooks.keys;

import brocard.webhooks.admin.AdminPrincipal;
import brocard.webhooks.audit.AuditLog;
import brocard.webhooks.security.Keyring;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * Operator API of key rotation (Bearer token, like every {@code /admin/} path). Shows kids only, never keys.
 */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyAdminResource {

    private final Keyring keyring;
    private final KeyRotation rotation;
    private final AuditLog audit;
    private final AdminPrincipal operator;

    public KeyAdminResource(Keyring keyring, KeyRotation rotation, AuditLog audit, AdminPrincipal operator) {
        this.keyring = keyring;
        this.rotation = rotation;
        this.audit = audit;
        this.operator = operator;
    }

    /** The ring (kids), the current kid, and per store how many secrets each kid sealed. */
    @GET
    public Map<String, Object> status() {
        return Map.of(
                "currentKid",
                keyring.currentKid(),
                "kids",
                keyring.kids(),
                "fingerprintKeyFrom",
                keyring.fingerprintSource(),
                "sealedByKid",
                rotation.status());
    }

    /** Re-seals now everything not under the current kid (the scheduled job does the same every 10 min). */
    @POST
    @Path("/reencrypt")
    public Map<String, Object> reencrypt() {
        Object resealed = rotation.reencryptAll();
        // Re-encryption runs in many short transactions; its audit row (kids and counts, never keys) follows it.
        QuarkusTransaction.requiringNew()
                .run(() -> audit.record(
                        operator.name(),
                        "keys.reencrypt",
                        "keys/" + keyring.currentKid(),
                        Map.of("resealed", resealed)));
        return Map.of("currentKid", keyring.currentKid(), "resealed", resealed, "sealedByKid", rotation.status());
    }
}
