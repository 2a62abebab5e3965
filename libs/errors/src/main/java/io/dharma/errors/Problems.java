package io.dharma.errors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dharma.logging.CorrelationId;
import io.dharma.logging.Logging;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import org.slf4j.MDC;

/**
 * Builds and sends problem responses; used by the error filter, and by handlers that answer a problem themselves.
 */
public final class Problems {
    private static final byte[] NO_BODY = new byte[0];
    private static final Header CONTENT_TYPE = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
    private static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");
    private static final HeaderName CORRELATION_ID = HeaderNames.create(CorrelationId.HEADER);
    private static volatile String typeBase = ErrorsConfig.DEFAULT_TYPE_BASE;

    private Problems() {
    }

    /**
     * Send the problem for an exception, with its headers, the correlation id and {@code Cache-Control: no-store}.
     *
     * @param req request
     * @param res response, not yet sent
     * @param ex  the failure
     */
    public static void send(ServerRequest req, ServerResponse res, ApiException ex) {
        String correlationId = CorrelationId.from(req.context()).orElseGet(() -> UUID.randomUUID().toString());
        Problem problem = problem(ex.code(), ex.detail(), req.prologue().uriPath().rawPath(), correlationId, ex.errors(),
                                  ex.members());
        res.status(ex.code().status());
        // cached headers are written as they are; one made from text is copied by Helidon once more before writing
        ex.headers().forEach((name, value) -> res.header(HeaderValues.createCached(HeaderNames.create(name), true, false,
                                                                                    value)));
        res.header(CONTENT_TYPE);
        res.header(HeaderValues.createCached(CORRELATION_ID, true, false, correlationId));
        // a problem is never cached, whatever caching a filter set for the route before it was answered
        res.header(NO_STORE);
        byte[] body = bytes(problem);
        if (req.prologue().method() == Method.HEAD) {
            // the headers a GET would get, the length of its body, no body
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send(NO_BODY);
        } else {
            res.send(body);
        }
    }

    /**
     * Build a problem.
     *
     * @param code          error code
     * @param detail        client-safe detail
     * @param instance      request path
     * @param correlationId correlation id
     * @param errors        field errors
     * @return problem
     */
    public static Problem problem(ErrorCode code, String detail, String instance, String correlationId,
                                  List<FieldError> errors) {
        return problem(code, detail, instance, correlationId, errors, Map.of());
    }

    static Problem problem(ErrorCode code, String detail, String instance, String correlationId, List<FieldError> errors,
                           Map<String, Object> members) {
        return new Problem(typeBase + code.slug(), code.title(), code.status().code(), detail, instance, code.name(),
                           correlationId, Instant.now(), errors, withTraceId(members));
    }

    /** The trace id of the request (MDC, set while a request is traced) as member {@code traceId}. */
    private static Map<String, Object> withTraceId(Map<String, Object> members) {
        String traceId = MDC.get(Logging.TRACE_ID_MDC_KEY);
        if (traceId == null || members.containsKey(Logging.TRACE_ID_MDC_KEY)) {
            return members;
        }
        Map<String, Object> all = new LinkedHashMap<>(members);
        all.put(Logging.TRACE_ID_MDC_KEY, traceId);
        return all;
    }

    static byte[] bytes(Problem problem) {
        return problem.json().getBytes(StandardCharsets.UTF_8);
    }

    static void typeBase(String base) {
        typeBase = base.endsWith("/") || base.endsWith("#") || base.endsWith(":") ? base : base + "/";
    }
}
