package brocard.webhooks.keys;

import brocard.webhooks.security.Keyring;
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

    public KeyAdminResource(Keyring keyring, KeyRotation rotation) {
        this.keyring = keyring;
        this.rotation = rotation;
    }

    /** The ring (kids), the current kid, and per store how many secrets each kid sealed. */
    @GET
    public Map<String, Object> status() {
        return Map.of("currentKid", keyring.currentKid(), "kids", keyring.kids(),
                "fingerprintKeyFrom", keyring.fingerprintSource(), "sealedByKid", rotation.status());
    }

    /** Re-seals now everything not under the current kid (the scheduled job does the same every 10 min). */
    @POST
    @Path("/reencrypt")
    public Map<String, Object> reencrypt() {
        return Map.of("currentKid", keyring.currentKid(), "resealed", rotation.reencryptAll(),
                "sealedByKid", rotation.status());
    }
}
