package io.dharma.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.helidon.common.context.Context;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Headers a filter put on a response that the error answer must carry too: Helidon resets the response (dropping
 * every header) before it calls the error handler, and the error handler of {@link Errors} writes them back before it
 * answers the problem. Kept in the request context, one per request.
 * <pre>{@code
 * SurvivingHeaders.of(req.context()).set(res, header);          // set now, and again on an error answer
 * SurvivingHeaders.of(req.context()).add(state::writeHeaders);  // written again on an error answer
 * }</pre>
 */
public final class SurvivingHeaders {
    private final List<Header> headers = new ArrayList<>(8);
    private final List<Consumer<ServerResponse>> writers = new ArrayList<>(2);

    private SurvivingHeaders() {
    }

    /**
     * The surviving headers of a request, created on first use.
     *
     * @param context request context
     * @return the request's surviving headers
     */
    public static SurvivingHeaders of(Context context) {
        return context.get(SurvivingHeaders.class).orElseGet(() -> {
            SurvivingHeaders created = new SurvivingHeaders();
            context.register(created);
            return created;
        });
    }

    /**
     * Set a header on the response and keep it for an error answer (where it is set unless the answer has one).
     *
     * @param res    response
     * @param header header
     */
    public void set(ServerResponse res, Header header) {
        res.header(header);
        headers.add(header);
    }

    /**
     * Run a writer again on an error answer, after the kept headers: for headers computed from state that changes
     * while the request runs (such as the rate limits charged).
     *
     * @param writer writes headers on a response
     */
    public void add(Consumer<ServerResponse> writer) {
        writers.add(writer);
    }

    /** Put the kept headers back on an error answer. */
    static void restore(ServerRequest req, ServerResponse res) {
        req.context().get(SurvivingHeaders.class).ifPresent(kept -> {
            for (Header header : kept.headers) {
                if (!res.headers().contains(header.headerName())) {
                    res.header(header);
                }
            }
            kept.writers.forEach(writer -> writer.accept(res));
        });
    }
}
