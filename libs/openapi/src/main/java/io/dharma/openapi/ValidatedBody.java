package io.dharma.openapi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;

import io.helidon.common.context.Context;

/**
 * The request body, read and validated by the request validation filter before the handler runs. The filter has
 * consumed the request entity, so a handler reads the body from here ({@code Requests.json} in dharma-service does),
 * never from {@code req.content()}.
 */
public final class ValidatedBody {
    private final byte[] bytes;

    ValidatedBody(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The validated body of a request, if the filter read one.
     *
     * @param context request context
     * @return the body; empty when validation is off, the request had no body or is not under the contract
     */
    public static Optional<ValidatedBody> from(Context context) {
        return context.get(ValidatedBody.class);
    }

    /**
     * The body.
     *
     * @return a stream over the bytes, as sent
     */
    public InputStream stream() {
        return new ByteArrayInputStream(bytes);
    }

    /**
     * Length of the body.
     *
     * @return bytes
     */
    public int length() {
        return bytes.length;
    }
}
