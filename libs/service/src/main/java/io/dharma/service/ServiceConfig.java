package io.dharma.service;

import java.time.Duration;
import java.util.List;

import io.dharma.errors.PathPrefix;

import io.helidon.config.Config;

/**
 * Configuration of the {@code service} root key: lifecycle and access log.
 *
 * @param version     version reported in logs (defaults to the jar's implementation version)
 * @param drainDelay  after SIGTERM, how long readiness answers 503 while the server keeps serving
 * @param gracePeriod after the drain delay, how long in-flight requests may take to finish
 * @param accessLog   access-log settings
 */
record ServiceConfig(String version, Duration drainDelay, Duration gracePeriod, AccessLog accessLog) {
    /** Default drain delay, long enough for load balancers to notice readiness turning 503. */
    static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);
    /** Default grace period for in-flight requests. */
    static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(20);

    /**
     * Read from the {@code service} node.
     *
     * @param service         the node (may be missing)
     * @param fallbackVersion version to use when none is configured
     * @return configuration
     */
    static ServiceConfig create(Config service, String fallbackVersion) {
        return new ServiceConfig(service.get("version").asString().orElse(fallbackVersion),
                                 service.get("drain-delay").as(Duration.class).orElse(DEFAULT_DRAIN_DELAY),
                                 service.get("grace-period").as(Duration.class).orElse(DEFAULT_GRACE_PERIOD),
                                 AccessLog.create(service.get("access-log")));
    }

    /**
     * Access-log settings ({@code service.access-log}).
     *
     * @param enabled whether requests are access-logged
     * @param exclude path prefixes (whole segments of the normalised path) not logged; none by default: probes and
     *                metrics are served on the management port, which writes no access log
     */
    record AccessLog(boolean enabled, List<PathPrefix> exclude) {
        /**
         * Copies the list.
         */
        AccessLog {
            exclude = List.copyOf(exclude);
        }

        static AccessLog create(Config accessLog) {
            return new AccessLog(accessLog.get("enabled").asBoolean().orElse(true),
                                 accessLog.get("exclude").asList(String.class).orElse(List.of()).stream()
                                         .map(PathPrefix::new).toList());
        }
    }
}
