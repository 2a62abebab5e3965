package io.dharma.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.dharma.errors.Errors;
import io.dharma.errors.PathPrefix;
import io.dharma.logging.AccessLog;
import io.dharma.security.Principal;
import io.dharma.tracing.Tracing;

import io.helidon.http.Method;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;


/**
 * One access-log line and one latency observation per request, both labelled by route template, never by raw path:
 * {@code http_server_requests_seconds{exception,method,outcome,status,uri}}, Micrometer's HTTP server convention.
 * Sits right after the correlation filter so it sees the final status of every request, problems included.
 */
final class ObservationFilter implements Filter {
    /** Written off the request thread, through a bounded queue that never blocks (see {@link AccessLog}). */
    private static final AccessLog ACCESS = AccessLog.create();
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** The label of every method outside {@link #STANDARD_METHODS}. */
    static final String OTHER_METHOD = "_OTHER";
    /** The {@code exception} label of a request no exception was thrown for. */
    static final String NO_EXCEPTION = "none";
    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
                                                               "TRACE", "CONNECT");

    private final MeterRegistry registry;
    private final ServiceConfig.AccessLog accessLog;
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    ObservationFilter(MeterRegistry registry, ServiceConfig.AccessLog accessLog) {
        this.registry = registry;
        this.accessLog = accessLog;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - start;
            String route = RouteTemplate.of(req.context()).orElse(RouteTemplate.UNMATCHED);
            String method = methodLabel(req.prologue().method());
            int status = res.status().code();
            timer(new TimerKey(method, uriLabel(route, status), status,
                               Errors.handledException(req.context()).orElse(NO_EXCEPTION)))
                    .record(Duration.ofNanos(nanos));
            Tracing.nameServerSpan(req, method, route, status);
            if (accessLog.enabled() && !PathPrefix.anyMatches(accessLog.exclude(), req.path().path())) {
                ACCESS.log(method, route, status, nanos, res.bytesWritten(), req.remotePeer().host(),
                           Principal.current(req.context()).map(Principal::id).orElse("-"));
            }
        }
    }

    /**
     * The method as a metric label: one of the standard methods, else {@value #OTHER_METHOD}, so arbitrary method
     * tokens sent by clients cannot create new series (OpenTelemetry's HTTP semantic conventions do the same).
     */
    static String methodLabel(Method method) {
        return STANDARD_METHODS.contains(method.text()) ? method.text() : OTHER_METHOD;
    }

    /**
     * The route template as the {@code uri} label; a request no route matched is {@code NOT_FOUND} (404),
     * {@code REDIRECTION} (3xx) or {@code UNKNOWN}, never its raw path.
     */
    static String uriLabel(String route, int status) {
        if (!RouteTemplate.UNMATCHED.equals(route)) {
            return route;
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        return status >= 300 && status < 400 ? "REDIRECTION" : "UNKNOWN";
    }

    /** The {@code outcome} label: the class of the status. */
    static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }

    private Timer timer(TimerKey key) {
        // Micrometer's HTTP server convention (Spring Boot, Quarkus): stock dashboards and alerts read these labels
        return timers.computeIfAbsent(key, k -> registry.getOrCreate(
                Timer.builder("http.server.requests")
                        .description("HTTP server requests by method, route template, status, outcome and exception")
                        .tags(List.of(Tag.create("exception", k.exception()), Tag.create("method", k.method()),
                                      Tag.create("outcome", outcome(k.status())),
                                      Tag.create("status", Integer.toString(k.status())), Tag.create("uri", k.uri())))
                        .buckets(BUCKETS)
                        // buckets only: Helidon's default client-side quantiles cost an HdrHistogram recording per
                        // request and cannot be aggregated across instances (histogram_quantile over the buckets can)
                        .percentiles(new double[0])));
    }

    private record TimerKey(String method, String uri, int status, String exception) {
    }
}
