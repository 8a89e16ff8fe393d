package brocard.webhooks.relay.directory;

import brocard.webhooks.admin.AdminPrincipal;
import brocard.webhooks.http.ErrorBody;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Operator API of the recipient directory (Bearer token, see {@code AdminAuthFilter}). Invalid input is answered 422
 * in the same format as webhook validation: {@code {"message": …, "errors": {"routes[0].target": ["…"]}}}.
 */
@Path("/admin/recipients")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recipients")
public class RecipientAdminResource {

    private final RecipientDirectory directory;
    private final RouteValidator routes;
    private final Validator validator;
    private final AdminPrincipal operator;

    public RecipientAdminResource(
            RecipientDirectory directory, RouteValidator routes, Validator validator, AdminPrincipal operator) {
        this.directory = directory;
        this.routes = routes;
        this.validator = validator;
        this.operator = operator;
    }

    @GET
    @Operation(summary = "Every recipient and its routes", description = "Route secrets are never shown.")
    public List<RecipientView> list() {
        return directory.list();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One recipient")
    @APIResponse(responseCode = "200", description = "Found.")
    @APIResponse(responseCode = "404", description = "Not in the directory.")
    public RecipientView get(@PathParam("id") long id) {
        return directory.find(id).orElseThrow(() -> new NotFoundException("No recipient " + id));
    }

    /** Creates a recipient; 409 if it exists (use PUT to replace). */
    @POST
    @Operation(summary = "Create a recipient (write scope; audited)")
    @APIResponse(
            responseCode = "201",
            description = "Created.",
            content = @Content(schema = @Schema(implementation = RecipientView.class)))
    @APIResponse(responseCode = "409", description = "Exists; PUT replaces it.")
    @APIResponse(
            responseCode = "422",
            description = "Invalid; every problem named by field path " + "(e.g. routes[0].target).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
    public Response create(RecipientRequest request) {
        Map<String, List<String>> errors = validate("", request);
        if (request != null && request.recipientId() == null) {
            errors.computeIfAbsent("recipientId", k -> new ArrayList<>()).add("must not be null");
        }
        if (!errors.isEmpty()) {
            return invalid(errors);
        }
        if (!directory.create(request, operator.name())) {
            return ErrorBody.response(
                            Response.Status.CONFLICT.getStatusCode(),
                            "Recipient " + request.recipientId() + " exists; PUT replaces it.",
                            Map.of(),
                            UUID.randomUUID())
                    .build();
        }
        return Response.status(Response.Status.CREATED)
                .entity(get(request.recipientId()))
                .build();
    }

    /** Creates or replaces a recipient and all its routes. */
    @PUT
    @Path("{id}")
    @Operation(summary = "Create or replace a recipient and all its routes (write scope; audited)")
    @APIResponse(
            responseCode = "200",
            description = "Saved.",
            content = @Content(schema = @Schema(implementation = RecipientView.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid; every problem named by field path " + "(e.g. routes[0].target).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
    public Response replace(@PathParam("id") long id, RecipientRequest request) {
        Map<String, List<String>> errors = validate("", request);
        if (request != null && request.recipientId() != null && request.recipientId() != id) {
            errors.computeIfAbsent("recipientId", k -> new ArrayList<>()).add("must match the URL");
        }
        return errors.isEmpty()
                ? Response.ok(directory.replace(id, request, operator.name())).build()
                : invalid(errors);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a recipient (write scope; audited)")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "404", description = "Not in the directory.")
    public Response delete(@PathParam("id") long id) {
        return directory.delete(id, operator.name())
                ? Response.noContent().build()
                : Response.status(Response.Status.NOT_FOUND).build();
    }

    /** Creates or replaces every recipient in a JSON array, all or nothing. */
    @POST
    @Path("import")
    @Operation(summary = "Create or replace every recipient of a JSON array, all or nothing (write scope; audited)")
    @APIResponse(responseCode = "200", description = "Imported: {\"imported\": n}.")
    @APIResponse(
            responseCode = "422",
            description = "Invalid; every problem named by field path " + "(e.g. routes[0].target).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
    public Response importAll(List<RecipientRequest> requests) {
        if (requests == null) {
            return invalid(Map.of("", List.of("A JSON array of recipients is required.")));
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            errors.putAll(validate("[" + i + "].", requests.get(i)));
            if (requests.get(i) != null && requests.get(i).recipientId() == null) {
                errors.computeIfAbsent("[" + i + "].recipientId", k -> new ArrayList<>())
                        .add("must not be null");
            }
        }
        if (!errors.isEmpty()) {
            return invalid(errors);
        }
        return Response.ok(Map.of("imported", directory.importAll(requests, operator.name())))
                .build();
    }

    private Map<String, List<String>> validate(String prefix, RecipientRequest request) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (request == null) {
            errors.put(prefix.isEmpty() ? "body" : prefix, List.of("A recipient object is required."));
            return errors;
        }
        for (ConstraintViolation<RecipientRequest> violation : validator.validate(request)) {
            errors.computeIfAbsent(
                            prefix + violation.getPropertyPath().toString().replace("<list element>", ""),
                            k -> new ArrayList<>())
                    .add(violation.getMessage());
        }
        if (request.routes() != null) {
            routes.validate(prefix, request.routes())
                    .forEach((k, v) ->
                            errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return errors;
    }

    private static Response invalid(Map<String, List<String>> errors) {
        return ErrorBody.response(422, "The given data was invalid.", errors, UUID.randomUUID())
                .build();
    }
}
