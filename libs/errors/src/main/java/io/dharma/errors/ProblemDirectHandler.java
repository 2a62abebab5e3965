package io.dharma.errors;

import java.util.List;
import java.util.UUID;

import io.dharma.logging.CorrelationId;

import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers problem+json for failures Helidon handles before routing (malformed request line or headers, a body over
 * {@code max-payload-size}). The message Helidon passes in is never shown: it may carry parser internals.
 */
final class ProblemDirectHandler implements io.helidon.http.DirectHandler {
    @Override
    public TransportResponse handle(TransportRequest request,
                                    EventType eventType,
                                    Status defaultStatus,
                                    ServerResponseHeaders responseHeaders,
                                    String message) {
        ErrorCode code = ErrorCode.forStatus(defaultStatus.code());
        String correlationId = request.headers().first(HeaderNames.create(CorrelationId.HEADER))
                .filter(CorrelationId::isValid)
                .orElseGet(() -> UUID.randomUUID().toString());
        String path = request.path().isEmpty() ? "/" : request.path();
        Problem problem = Problems.problem(code, code.title(), path, correlationId, List.of());
        responseHeaders.set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        responseHeaders.set(HeaderNames.create(CorrelationId.HEADER), correlationId);
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(responseHeaders)
                .entity(Problems.bytes(problem))
                .keepAlive(eventType.keepAlive())
                .build();
    }
}
