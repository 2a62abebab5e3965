package io.dharma.service;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Function;

import io.dharma.cache.HttpCaching;
import io.dharma.data.DataErrors;
import io.dharma.errors.ApiException;
import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.logging.Logging;
import io.dharma.openapi.OpenApi;
import io.dharma.ratelimit.Caller;
import io.dharma.resilience.ConcurrencyConfig;
import io.dharma.resilience.ConcurrencyLimiter;
import io.dharma.security.KeySource;
import io.dharma.security.Principal;
import io.dharma.security.Security;
import io.dharma.security.SecurityConfig;

import io.helidon.config.Config;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.ObserveFeatureConfig;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The request pipeline of a Dharma service in one place, in the order {@code docs/architecture.md} describes: the
 * filters of the API socket, the handlers behind them, the management socket, and what answers outside routing.
 */
final class Pipeline {
    /** Name of the socket serving probes and metrics. */
    static final String MANAGEMENT_SOCKET = "management";

    private final ServiceContext context;
    private final ServiceConfig service;
    private final ErrorsConfig errors;
    private final SecurityConfig security;
    private final KeySource keys;
    private final Optional<OpenApi> openapi;
    private final RouteTable table = new RouteTable();

    Pipeline(ServiceContext context, ServiceConfig service, ErrorsConfig errors, SecurityConfig security, KeySource keys,
             Optional<OpenApi> openapi) {
        this.context = context;
        this.service = service;
        this.errors = errors;
        this.security = security;
        this.keys = keys;
        this.openapi = openapi;
    }

    /**
     * The API socket: filters top to bottom, then the services under their prefixes, then 404/405 problems.
     *
     * @param routing the default socket's routing
     * @param apis    prefix to the service it serves, created from the context
     */
    void api(HttpRouting.Builder routing, List<Api> apis) {
        ErrorHandler<Throwable> errorHandler = Errors.errorHandler(errors, List.of(DataErrors::translate));
        // a feature configured off adds no filter: each level of the chain costs every request
        // 1. correlation id (and trace ids) in the context and MDC for everything below
        routing.addFilter(Logging.correlationFilter());
        if (context.tracing().enabled()) {
            routing.addFilter(context.tracing().logFilter());
        }
        // 2. while draining, close each connection after its answer so keep-alive clients move on
        routing.addFilter((chain, req, res) -> {
            if (context.probes().draining()) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            chain.proceed();
        });
        // 3. access log and request timer, after the answer: problems are counted with their final status
        routing.addFilter(new ObservationFilter(Metrics.globalRegistry(), service.accessLog()))
                // 4. guard: one normal path, parsable headers, and nothing below escapes unanswered
                .addFilter(Errors.guard(errorHandler));
        if (security.headers().enabled()) {
            // 5. security headers on every answer
            routing.addFilter(Security.headersFilter(security.headers()));
        }
        // 5b. past the concurrency limit, 503 OVERLOADED at once: logged, counted and with its headers, yet before
        // validation, limits, tokens and handlers spend anything on it
        ConcurrencyConfig concurrency = ConcurrencyConfig.create(context.config().get("resilience.concurrency"));
        if (concurrency.enabled()) {
            routing.addFilter(ConcurrencyLimiter.create(concurrency).filter());
        }
        // tests and staging: every answer checked against the document, those of the filters below included
        openapi.flatMap(OpenApi::responseValidation).ifPresent(routing::addFilter);
        // 6. CORS, 7. IP limits, 8. authentication, 9. user / tier / route limits, 10. caching headers, 11. body limits
        if (security.cors().enabled()) {
            routing.addFilter(Security.corsFilter(security.cors()));
        }
        routing.addFilter(context.rateLimiting().ipFilter())
                .addFilter(Security.authenticationFilter(security, keys))
                .addFilter(context.rateLimiting().userFilter(
                        req -> Principal.current(req.context()).map(p -> new Caller(p.id(), p.tier().name()))))
                .addFilter(HttpCaching.create(context.config().get("cache.http")))
                .addFilter(Errors.bodyFilter(errors));
        // 12. parameters, headers, content type and body against the document, before any handler
        openapi.flatMap(OpenApi::requestValidation).ifPresent(routing::addFilter);
        routing.error(Throwable.class, errorHandler);
        for (Api api : apis) {
            routing.register(api.prefix(), TemplateRules.templated(api.prefix(), api.factory().apply(context), table));
        }
        routing.any(table);
    }

    /**
     * The management socket: probes and metrics (the observe feature adds {@code /metrics} here), for the orchestrator
     * and the scraper, never on the API port. No access log, no limits, no tokens; the same guard and security headers
     * as the API.
     *
     * @param routing the management socket's routing
     */
    void management(HttpRouting.Builder routing) {
        ErrorHandler<Throwable> errorHandler = Errors.errorHandler(errors, List.of());
        routing.addFilter(Errors.guard(errorHandler))
                .addFilter(Security.headersFilter(security.headers()))
                .register(context.probes().config().path(), context.probes().httpService())
                .any((req, res) -> {
                    throw ApiException.notFound("No route for " + req.path().rawPath() + " on the management port");
                })
                .error(Throwable.class, errorHandler);
    }

    /**
     * Metrics (and, with tracing on, the tracing observer) on the management socket; observers are not discovered from
     * the class path: a discovered tracing observer would wrap every answer in a content-write span (and force chunked
     * answers) even with tracing off.
     *
     * @param metrics the {@code metrics} node
     * @return feature
     */
    ObserveFeature observe(Config metrics) {
        ObserveFeatureConfig.Builder observe = ObserveFeature.builder()
                .weight(120)
                .sockets(List.of(MANAGEMENT_SOCKET))
                .observersDiscoverServices(false)
                .addObserver(MetricsObserver.builder()
                                     .endpoint(metrics.get("path").asString().orElse("/metrics"))
                                     .metricsConfig(MetricsConfig.create(metrics))
                                     .build());
        context.tracing().observer().ifPresent(observe::addObserver);
        return observe.build();
    }

    /**
     * Problems for what Helidon answers before routing (malformed request lines, bodies over the limit), with the
     * security headers.
     *
     * @return direct handlers
     */
    DirectHandlers directHandlers() {
        DirectHandler handler = Security.directHandler(Errors.directHandler(), security.headers());
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, handler);
        }
        return handlers.build();
    }

    /**
     * The API operations the services registered, as {@code METHOD /template}.
     *
     * @param apis the services' prefixes
     * @return sorted operations
     */
    SortedSet<String> routes(List<Api> apis) {
        return table.routes(template -> apis.stream().anyMatch(api -> template.startsWith(api.prefix())));
    }

    /**
     * An API service under a path prefix, created once the resources exist.
     *
     * @param prefix  path prefix
     * @param factory creates the service
     */
    record Api(String prefix, Function<ServiceContext, HttpService> factory) {
    }
}
