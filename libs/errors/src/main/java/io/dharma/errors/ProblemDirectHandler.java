package io.dharma.errors;

import java.util.List;
import java.util.UUID;

import io.dharma.logging.CorrelationId;

import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers problem+json for failures Helidon handles before routing (malformed request line or headers, a body over
 * {@code max-payload-size}, headers over {@code max-headers-size}, a request target over {@code max-prologue-length}),
 * each with the code of its status. The message Helidon passes in is never shown: it may carry parser internals.
 */
final class ProblemDirectHandler implements io.helidon.http.DirectHandler {
    /** The message of Helidon 4.1.2's header parser when the block exceeds the limit. */
    private static final String HEADER_SIZE_EXCEEDED = "Header size exceeded";

    @Override
    public TransportResponse handle(TransportRequest request,
                                    EventType eventType,
                                    Status defaultStatus,
                                    ServerResponseHeaders responseHeaders,
                                    String message) {
        // the code's status, always: the problem's status member and the answer's must agree, also for a status
        // the catalog has no code of its own (answered with the closest one)
        ErrorCode code = ErrorCode.forStatus(status(eventType, defaultStatus, message).code());
        String correlationId = request.headers().first(HeaderNames.create(CorrelationId.HEADER))
                .filter(CorrelationId::isValid)
                .orElseGet(() -> UUID.randomUUID().toString());
        String path = request.path().isEmpty() ? "/" : request.path();
        Problem problem = Problems.problem(code, code.title(), path, correlationId, List.of());
        responseHeaders.set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        responseHeaders.set(HeaderNames.create(CorrelationId.HEADER), correlationId);
        return TransportResponse.builder()
                .status(code.status())
                .headers(responseHeaders)
                .entity(Problems.bytes(problem))
                .keepAlive(eventType.keepAlive())
                .build();
    }

    /**
     * Helidon's status, except for a header block over {@code max-headers-size}: Helidon 4.1.2 answers it with a plain
     * 400 (its parser's {@code IllegalStateException} becomes a bad request), RFC 6585 has 431 for it.
     */
    private static Status status(EventType eventType, Status defaultStatus, String message) {
        if (eventType == EventType.BAD_REQUEST && defaultStatus.code() == Status.BAD_REQUEST_400.code()
                && HEADER_SIZE_EXCEEDED.equals(message)) {
            return ErrorCode.HEADERS_TOO_LARGE.status();
        }
        return defaultStatus;
    }
}
