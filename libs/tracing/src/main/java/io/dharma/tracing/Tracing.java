package io.dharma.tracing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.dharma.logging.Logging;

import io.helidon.common.context.Context;
import io.helidon.tracing.Span;
import io.helidon.tracing.SpanContext;
import io.helidon.tracing.providers.opentelemetry.HelidonOpenTelemetry;
import io.helidon.tracing.providers.opentelemetry.OpenTelemetryTracerProvider;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.observe.tracing.TracingObserver;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
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
    private final Optional<SdkTracerProvider> sdk;
    private final Optional<io.helidon.tracing.Tracer> tracer;

    private Tracing(TracingConfig config, Optional<SdkTracerProvider> sdk, Optional<io.helidon.tracing.Tracer> tracer) {
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
            return new Tracing(config, Optional.empty(), Optional.empty());
        }
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", service)
                .put("service.version", version)
                .build()));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplerRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter(config))
                                          .setScheduleDelay(config.batchDelay())
                                          .setExporterTimeout(config.exportTimeout())
                                          .build())
                .build();
        // traces only: the SDK's metrics and logs parts (and their jars) are not needed
        OpenTelemetry sdk = new TracesOnly(provider, ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        io.helidon.tracing.Tracer tracer = HelidonOpenTelemetry.create(sdk, sdk.getTracer(service), Map.of());
        OpenTelemetryTracerProvider.globalTracer(tracer);
        LOGGER.info("Tracing on: {} spans to {}, sampling {}", config.exporter().name().toLowerCase(), config.endpoint(),
                    config.samplerRatio());
        return new Tracing(config, Optional.of(provider), Optional.of(tracer));
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
     * and tag it with {@code http.route}; nothing happens when the request is not traced.
     *
     * @param context request context
     * @param method  request method
     * @param route   route template, e.g. {@code /api/v1/blueprints/{id}}
     */
    public static void nameServerSpan(Context context, String method, String route) {
        context.get(Span.class).ifPresent(span -> {
            span.tag("http.route", route);
            try {
                span.unwrap(io.opentelemetry.api.trace.Span.class).updateName(method + " " + route);
            } catch (IllegalArgumentException e) {
                // another tracing provider: keep its name
            }
        });
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
        sdk.ifPresent(s -> s.forceFlush().join(config.exportTimeout().toMillis(),
                                                                      TimeUnit.MILLISECONDS));
    }

    /** Export what is left and stop the exporter. */
    @Override
    public void close() {
        sdk.ifPresent(s -> s.shutdown().join(config.exportTimeout().toMillis(),
                                                                    TimeUnit.MILLISECONDS));
    }

    private static SpanExporter exporter(TracingConfig config) {
        return switch (config.exporter()) {
            case ZIPKIN -> new ZipkinExporter(config.endpoint(), config.exportTimeout());
            case OTLP -> OtlpExporter.create(config.endpoint());
        };
    }

    /** The OpenTelemetry of a service: the SDK's traces, W3C propagation; metrics and logs are the no-op ones. */
    private record TracesOnly(TracerProvider getTracerProvider, ContextPropagators getPropagators) implements OpenTelemetry {
    }
}
