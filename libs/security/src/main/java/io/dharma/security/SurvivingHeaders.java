package io.dharma.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.common.context.Context;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerResponse;

/**
 * The headers the security filters put on a response, kept in the request context so they can be put back on an
 * error response: Helidon resets the response (dropping every header) before it calls the error handler.
 */
final class SurvivingHeaders {
    private final List<Header> headers = new ArrayList<>();

    private SurvivingHeaders() {
    }

    static SurvivingHeaders of(Context context) {
        Optional<SurvivingHeaders> existing = context.get(SurvivingHeaders.class);
        if (existing.isPresent()) {
            return existing.get();
        }
        SurvivingHeaders created = new SurvivingHeaders();
        context.register(created);
        return created;
    }

    static Optional<SurvivingHeaders> find(Context context) {
        return context.get(SurvivingHeaders.class);
    }

    /** Set a header on the response and remember it. */
    void set(ServerResponse res, Header header) {
        res.header(header);
        headers.add(header);
    }

    /** Put back every remembered header the response does not have. */
    void restore(ServerResponse res) {
        for (Header header : headers) {
            if (!res.headers().contains(header.headerName())) {
                res.header(header);
            }
        }
    }
}
