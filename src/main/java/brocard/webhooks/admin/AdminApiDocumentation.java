package brocard.webhooks.admin;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;

/**
 * Documents what {@link AdminAuthFilter} does to every operator-API operation, whichever resource declares it: the
 * Bearer token scheme, 401 for an unknown token and, on anything but GET, 403 for a read token. Applied to every path
 * under {@code /admin}, so a new operator endpoint is documented correctly without repeating it (configured as
 * {@code mp.openapi.filter}).
 */
public class AdminApiDocumentation implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.equals("/admin") || path.startsWith("/admin/")) {
                item.getOperations().forEach(this::document);
            }
        });
    }

    private void document(PathItem.HttpMethod method, Operation operation) {
        operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme("adminBearer")));
        APIResponses responses =
                operation.getResponses() != null ? operation.getResponses() : OASFactory.createAPIResponses();
        responses.addAPIResponse(
                "401",
                OASFactory.createAPIResponse()
                        .description("No or unknown operator token (Authorization: Bearer ...). No body."));
        if (AdminScope.needsWrite(method.name())) {
            responses.addAPIResponse(
                    "403",
                    OASFactory.createAPIResponse()
                            .description("The token has scope read; this needs write.")
                            .content(OASFactory.createContent()
                                    .addMediaType(
                                            "application/json",
                                            OASFactory.createMediaType()
                                                    .schema(OASFactory.createSchema()
                                                            .ref("Error")))));
            if (operation.getDescription() == null
                    || !operation.getDescription().contains("audit")) {
                operation.setDescription((operation.getDescription() == null ? "" : operation.getDescription() + " ")
                        + "Needs a write token; recorded in the audit log (GET /admin/audit).");
            }
        }
        operation.setResponses(responses);
    }
}
