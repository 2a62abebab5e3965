package io.dharma.tracing;

import java.util.Optional;

import io.dharma.logging.Logging;

import io.helidon.common.uri.UriInfo;
import io.helidon.tracing.Span;
import io.helidon.tracing.SpanContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.observe.tracing.TracingObserver;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * OpenTelemetry tracing of one service, from the {@code tracing} node: the SDK (exporter, sampler, W3C
 * {@code traceparent} propagation) set up as the global OpenTelemetry and Helidon tracer, the observer that opens a
 * server span per request, and a filter that puts the trace and span ids into the MDC (every log line, every problem
 * body). Client spans come from {@code helidon-webclient-tracing} (every WebClient), DB spans from the data library.
 * Helidon 4.1.2's provider ignores the {@code tracing:} config, which is why the SDK is built here.
 * <pre>{@code
 * Tracing tracing = Tracing.create(config.get("tracing"), "blueprint-service", "1.0.0");   // before the server
 * tracing.observer().ifPresent(observeFeature::addObserver);
 * routing.addFilter(tracing.logFilter());
 * }</pre>
 */
public final class Tracing implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Tracing.class);

    private final TracingConfig config;
    /** Empty while tracing is off: then no class of the SDK is loaded. */
    private final Optional<TracingSdk> sdk;
    private final Optional<io.helidon.tracing.Tracer> tracer;

    private Tracing(TracingConfig config, Optional<TracingSdk> sdk, Optional<io.helidon.tracing.Tracer> tracer) {
        this.config = config;
        this.sdk = sdk;
        this.tracer = tracer;
    }

    /**
     * Tracing from the {@code tracing} node; when enabled, installs the SDK globally (call before the server and any
     * client is built, once per JVM).
     *
     * @param node    the {@code tracing} node
     * @param service service name ({@code service.name} of every span)
     * @param version service version ({@code service.version})
     * @return tracing
     */
    public static Tracing create(io.helidon.config.Config node, String service, String version) {
        TracingConfig config = TracingConfig.create(node);
        if (!config.enabled()) {
            // the no-op OpenTelemetry: otherwise the first GlobalOpenTelemetry.get() (Helidon's tracer, any client)
            // looks for the SDK's autoconfiguration on the class path and loads it
            GlobalOpenTelemetry.resetForTest();
            GlobalOpenTelemetry.set(OpenTelemetry.noop());
            return new Tracing(config, Optional.empty(), Optional.empty());
        }
        TracingSdk sdk = TracingSdk.install(config, service, version);
        LOGGER.info("Tracing on: {} spans to {}, sampling {}", config.exporter().name().toLowerCase(), config.endpoint(),
                    config.samplerRatio());
        return new Tracing(config, Optional.of(sdk), Optional.of(sdk.tracer()));
    }

    /**
     * The observer that opens a server span per request (health and metrics paths excluded), if tracing is on.
     *
     * @return observer for the service's {@code ObserveFeature}
     */
    public Optional<TracingObserver> observer() {
        return tracer.map(TracingObserver::create);
    }

    /**
     * A filter (install it after the observer's, i.e. anywhere in the routing) that puts {@code traceId} and
     * {@code spanId} of the request's server span into the MDC for the rest of the request; it passes requests
     * through untouched while tracing is off, and for requests that are not sampled.
     *
     * @return filter
     */
    public Filter logFilter() {
        if (tracer.isEmpty()) {
            return (chain, req, res) -> chain.proceed();
        }
        return (chain, req, res) -> {
            Optional<SpanContext> span = req.context().get(Span.class).map(Span::context)
                    .filter(context -> !context.traceId().chars().allMatch(c -> c == '0'));
            if (span.isEmpty()) {
                chain.proceed();
                return;
            }
            MDC.put(Logging.TRACE_ID_MDC_KEY, span.get().traceId());
            MDC.put(Logging.SPAN_ID_MDC_KEY, span.get().spanId());
            try {
                chain.proceed();
            } finally {
                MDC.remove(Logging.TRACE_ID_MDC_KEY);
                MDC.remove(Logging.SPAN_ID_MDC_KEY);
            }
        };
    }

    /**
     * Name the request's server span after its route template (Helidon names every server span {@code http request})
     * and tag it with the current HTTP semantic conventions: {@code http.request.method}, {@code http.route},
     * {@code http.response.status_code}, {@code url.path}, {@code url.scheme}, {@code server.address} and
     * {@code server.port}; nothing happens when the request is not traced.
     *
     * @param req    the request
     * @param method request method as a label (a standard method or {@code _OTHER})
     * @param route  route template, e.g. {@code /api/v1/blueprints/{id}}
     * @param status response status
     */
    public static void nameServerSpan(ServerRequest req, String method, String route, int status) {
        Optional<Span> traced = req.context().get(Span.class);
        if (traced.isEmpty()) {
            return;
        }
        Span span = traced.get();
        UriInfo uri = req.requestedUri();
        span.tag("http.request.method", method);
        span.tag("http.route", route);
        span.tag("http.response.status_code", status);
        span.tag("url.path", req.path().rawPath());
        span.tag("url.scheme", uri.scheme());
        span.tag("server.address", uri.host());
        span.tag("server.port", uri.port());
        try {
            span.unwrap(io.opentelemetry.api.trace.Span.class).updateName(method + " " + route);
        } catch (IllegalArgumentException e) {
            // another tracing provider: keep its name
        }
    }

    /**
     * Whether spans are recorded.
     *
     * @return true when {@code tracing.enabled}
     */
    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Export every finished span now (tests, shutdown).
     */
    public void flush() {
        if (sdk.isPresent()) {
            sdk.get().flush(config.exportTimeout());
        }
    }

    /** Export what is left and stop the exporter. */
    @Override
    public void close() {
        // not ifPresent(lambda): creating the lambda would load TracingSdk while tracing is off
        if (sdk.isPresent()) {
            sdk.get().close(config.exportTimeout());
        }
    }
}
