package brocard.webhooks.brocardapi;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The endpoints of Brocard's REST API ({@code …/api/v2}) that reconciliation reads, as the provider documents them.
 * Methods answer the raw {@link Response}: {@link BrocardApiClient} decides on retries from the status and
 * {@code Retry-After}, instead of the REST Client turning every error status into an exception. Null query
 * parameters are not sent. The Bearer key is set once on the client, never passed through here.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public interface BrocardRestApi {

    /** Page-based ({@code page}) in the current version, cursor-based ({@code cursor}) in the previous one. */
    @GET
    @Path("payments")
    Response payments(
            @QueryParam("dates[begin]") String begin,
            @QueryParam("dates[end]") String end,
            @QueryParam("per_page") int perPage,
            @QueryParam("page") Integer page,
            @QueryParam("cursor") String cursor);

    @GET
    @Path("payments/{id}")
    Response payment(@PathParam("id") long id, @QueryParam("tz") String tz);

    /** Cursor-based in both versions. */
    @GET
    @Path("refunds")
    Response refunds(
            @QueryParam("dates[begin]") String begin,
            @QueryParam("dates[end]") String end,
            @QueryParam("per_page") int perPage,
            @QueryParam("cursor") String cursor);

    @GET
    @Path("refunds/{id}")
    Response refund(@PathParam("id") long id);

    @GET
    @Path("users/{id}")
    Response user(@PathParam("id") long id);
}
