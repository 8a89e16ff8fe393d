package brocard.webhooks.relay.directory;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A recipient as an operator submits it (create, replace, bulk import).
 *
 * @param recipientId Brocard user id; taken from the path on replace
 */
public record RecipientRequest(
        @Positive Long recipientId,
        @NotBlank @Size(max = 200) String displayName,
        @NotNull @Size(max = 20) List<@Valid @NotNull RouteRequest> routes) {

    /**
     * @param secret  webhook channel only: {@code whsec_} followed by base64 of 24 to 64 random bytes
     * @param enabled defaults to true
     */
    public record RouteRequest(
            @NotNull Channel channel,
            @NotBlank @Size(max = 2000) String target,
            @Size(max = 200) String secret,
            Boolean enabled,
            @Size(max = 200) String label) {

        /** Never prints the secret. */
        @Override
        public String toString() {
            return "RouteRequest[" + channel + " " + target + (secret == null ? "" : " secret=***") + "]";
        }
    }
}
