package io.dharma.security;

import java.util.List;

import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Adds the security headers to responses Helidon answers outside routing (malformed request line or headers, body
 * over {@code max-payload-size}), then lets the wrapped handler answer. Every overload is forwarded as is, so a
 * wrapped handler that overrides the {@code Throwable} variants keeps working.
 */
final class HeadersDirectHandler implements DirectHandler {
    private final DirectHandler delegate;
    private final List<Header> headers;

    HeadersDirectHandler(DirectHandler delegate, List<Header> headers) {
        this.delegate = delegate;
        this.headers = List.copyOf(headers);
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, Throwable thrown) {
        addHeaders(responseHeaders);
        return delegate.handle(request, eventType, defaultStatus, responseHeaders, thrown);
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, Throwable thrown, System.Logger logger) {
        addHeaders(responseHeaders);
        return delegate.handle(request, eventType, defaultStatus, responseHeaders, thrown, logger);
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        addHeaders(responseHeaders);
        return delegate.handle(request, eventType, defaultStatus, responseHeaders, message);
    }

    private void addHeaders(ServerResponseHeaders responseHeaders) {
        for (Header header : headers) {
            responseHeaders.set(header);
        }
    }
}
