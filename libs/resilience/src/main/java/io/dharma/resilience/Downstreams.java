package io.dharma.resilience;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webclient.spi.WebClientService;

/**
 * The downstream services a service calls, one resilient {@link Downstream} per {@code resilience.downstreams.<name>}
 * node (see {@link DownstreamConfig}). Create one instance per service at start-up and share it.
 * <pre>
 * Downstreams downstreams = Downstreams.create(config.get("resilience"));
 * Downstream cost = downstreams.get("cost-service");
 * DownstreamResponse estimate = cost.post("/api/v1/costs/estimate", body);
 * </pre>
 * Every client propagates the correlation id; {@link Builder#addClientService(WebClientService)} adds more
 * WebClient services (tracing, authentication), which run on every attempt.
 */
public final class Downstreams {
    private final Map<String, ResilientDownstream> downstreams;

    private Downstreams(Map<String, ResilientDownstream> downstreams) {
        this.downstreams = downstreams;
    }

    /**
     * The downstreams configured under a {@code resilience} node.
     *
     * @param resilience the {@code resilience} node (may be missing: no downstreams)
     * @return downstreams
     * @throws ResilienceException if the configuration is invalid
     */
    public static Downstreams create(Config resilience) {
        return builder().config(resilience).build();
    }

    /**
     * A builder, for downstreams defined in code or extra WebClient services.
     *
     * @return builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A configured downstream.
     *
     * @param name the name under {@code resilience.downstreams}
     * @return the downstream
     * @throws ResilienceException if no downstream has this name
     */
    public Downstream get(String name) {
        Downstream downstream = downstreams.get(name);
        if (downstream == null) {
            throw new ResilienceConfigException("No downstream '" + name + "' under resilience.downstreams (configured: "
                                                  + (downstreams.isEmpty() ? "none" : String.join(", ", names())) + ")");
        }
        return downstream;
    }

    /**
     * Names of the configured downstreams, sorted.
     *
     * @return names
     */
    public Set<String> names() {
        return downstreams.keySet();
    }

    /**
     * Readiness checks {@code downstream-<name>} for the downstreams configured with {@code readiness: true}. They are
     * non-critical: always UP, with {@code state: degraded} while a breaker is open, so the service stays ready.
     *
     * @return readiness checks, empty if no downstream asks for one
     */
    public List<HealthCheck> readinessChecks() {
        return downstreams.values().stream()
                .filter(downstream -> downstream.config().readiness())
                .<HealthCheck>map(downstream -> new ReadinessCheck(downstream.name(), downstream.watch()))
                .toList();
    }

    /**
     * Builder of {@link Downstreams}.
     */
    public static final class Builder implements io.helidon.common.Builder<Builder, Downstreams> {
        private final Map<String, DownstreamConfig> configs = new LinkedHashMap<>();
        private final List<WebClientService> services = new ArrayList<>();

        private Builder() {
        }

        /**
         * Add every downstream configured under a {@code resilience} node.
         *
         * @param resilience the {@code resilience} node
         * @return this builder
         * @throws ResilienceException if the configuration is invalid
         */
        public Builder config(Config resilience) {
            resilience.get("downstreams").asNodeList().orElse(List.of())
                    .forEach(node -> addDownstream(DownstreamConfig.create(node)));
            return this;
        }

        /**
         * Add one downstream.
         *
         * @param config its configuration
         * @return this builder
         * @throws ResilienceException if a downstream of the same name was added already
         */
        public Builder addDownstream(DownstreamConfig config) {
            if (configs.putIfAbsent(config.name(), config) != null) {
                throw new ResilienceConfigException("Downstream '" + config.name() + "' is configured twice");
            }
            return this;
        }

        /**
         * Add a WebClient service to every downstream's client, after the correlation id service (in the order
         * added). It runs on every attempt.
         *
         * @param service client service, e.g. one that adds {@code traceparent}
         * @return this builder
         */
        public Builder addClientService(WebClientService service) {
            services.add(service);
            return this;
        }

        @Override
        public Downstreams build() {
            Map<String, ResilientDownstream> built = new TreeMap<>();
            List<WebClientService> clientServices = List.copyOf(services);
            configs.forEach((name, config) -> built.put(name, new ResilientDownstream(
                    config, clientServices, () -> ThreadLocalRandom.current().nextDouble(), System::nanoTime)));
            return new Downstreams(Collections.unmodifiableMap(built));
        }
    }
}
