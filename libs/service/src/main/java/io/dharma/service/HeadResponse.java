package io.dharma.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import io.helidon.common.GenericType;
import io.helidon.common.LazyValue;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.ServerResponseTrailers;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.MediaContext;
import io.helidon.webserver.http.ServerResponse;

/**
 * The response a {@code GET} handler writes when it serves a {@code HEAD} request: status and headers go out as they
 * would for {@code GET}, {@code Content-Length} included, and the entity is computed but never written (RFC 9110
 * section 9.3.2).
 */
final class HeadResponse implements ServerResponse {
    /** Writes entities like the server does (the same providers, discovered the same way). */
    private static final LazyValue<MediaContext> MEDIA = LazyValue.create(MediaContext::create);
    private static final byte[] NO_BYTES = new byte[0];

    private final ServerResponse delegate;

    HeadResponse(ServerResponse delegate) {
        this.delegate = delegate;
    }

    @Override
    public void send(byte[] bytes) {
        if (!delegate.headers().contains(HeaderNames.CONTENT_LENGTH)) {
            delegate.headers().contentLength(bytes.length);
        }
        delegate.send(NO_BYTES);
    }

    @Override
    public void send(Object entity) {
        switch (entity) {
        case byte[] bytes -> send(bytes);
        case String text -> send(text.getBytes(StandardCharsets.UTF_8));
        default -> {
            OutputStream body = outputStream();
            GenericType<Object> type = GenericType.create(entity);
            WritableHeaders<?> requestHeaders = WritableHeaders.create();
            try (body) {
                MEDIA.get().writer(type, requestHeaders, delegate.headers())
                        .write(type, entity, body, requestHeaders, delegate.headers());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        }
    }

    @Override
    public void send() {
        delegate.send();
    }

    @Override
    public OutputStream outputStream() {
        // the entity is buffered to learn its length; it is never written
        return new ByteArrayOutputStream() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    send(toByteArray());
                }
            }
        };
    }

    @Override
    public ServerResponse status(Status status) {
        delegate.status(status);
        return this;
    }

    @Override
    public Status status() {
        return delegate.status();
    }

    @Override
    public ServerResponse header(Header header) {
        delegate.header(header);
        return this;
    }

    @Override
    public boolean isSent() {
        return delegate.isSent();
    }

    @Override
    public long bytesWritten() {
        return delegate.bytesWritten();
    }

    @Override
    public ServerResponse whenSent(Runnable listener) {
        delegate.whenSent(listener);
        return this;
    }

    @Override
    public ServerResponse reroute(String newPath) {
        delegate.reroute(newPath);
        return this;
    }

    @Override
    public ServerResponse reroute(String path, UriQuery query) {
        delegate.reroute(path, query);
        return this;
    }

    @Override
    public ServerResponse next() {
        delegate.next();
        return this;
    }

    @Override
    public ServerResponseHeaders headers() {
        return delegate.headers();
    }

    @Override
    public ServerResponseTrailers trailers() {
        return delegate.trailers();
    }

    @Override
    public void streamResult(String result) {
        delegate.streamResult(result);
    }

    @Override
    public void streamFilter(UnaryOperator<OutputStream> filterFunction) {
        delegate.streamFilter(filterFunction);
    }
}
