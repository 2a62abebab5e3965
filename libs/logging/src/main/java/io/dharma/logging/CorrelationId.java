package io.dharma.logging;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * The correlation id of the current request: one id shared by every log line, the error response and the calls to
 * other services made while handling a request.
 * <p>
 * {@link Logging#correlationFilter()} accepts an incoming id when it is valid (see {@link #isValid(String)}),
 * otherwise it generates one, and registers it in the request context, where {@link #current()} finds it.
 */
public final class CorrelationId {
    /**
     * Header that carries the correlation id, in requests and responses.
     */
    public static final String HEADER = "X-Correlation-Id";
    /**
     * Header accepted as the correlation id when {@value #HEADER} is absent or invalid.
     */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /**
     * Key of the correlation id in the SLF4J MDC, and the field name in JSON log lines.
     */
    public static final String MDC_KEY = "correlationId";

    static final HeaderName HEADER_NAME = HeaderNames.create(HEADER);
    static final HeaderName REQUEST_ID_HEADER_NAME = HeaderNames.create(REQUEST_ID_HEADER);
    static final int MAX_LENGTH = 128;

    private CorrelationId() {
    }

    /**
     * Whether the candidate is an acceptable correlation id: 1 to 128 characters of {@code [A-Za-z0-9._-]}.
     *
     * @param candidate value received from a client
     * @return {@code true} if the value may be used as a correlation id
     */
    public static boolean isValid(String candidate) {
        int length = candidate.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = candidate.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * The correlation id of the request being handled on this thread, found in {@link Contexts#context()}.
     * Works in handlers and filters behind {@link Logging#correlationFilter()} and in tasks run with a context-aware
     * executor ({@link Contexts#wrap(java.util.concurrent.ExecutorService)}).
     *
     * @return the correlation id, empty outside request handling
     */
    public static Optional<String> current() {
        return Contexts.context().flatMap(CorrelationId::from);
    }

    /**
     * The correlation id registered in a context (or in one of its parents).
     *
     * @param context request context
     * @return the correlation id, empty if none was registered
     */
    public static Optional<String> from(Context context) {
        return context.get(Value.class).map(Value::id);
    }

    static void register(Context context, String id) {
        context.register(new Value(id));
    }

    /**
     * A new id in the form of a random (version 4) UUID. Correlation ids identify, they do not protect: they come from
     * {@link ThreadLocalRandom}, not from the system's secure random source (which costs a system call per request).
     */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    // private type, so nothing else can register or read it under the same key
    private record Value(String id) {
    }
}
