package io.dharma.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a test class (or one test method) needs from the machine. When one of them is missing it is skipped with one
 * line saying what to start; with the system property {@value #REQUIRED_PROPERTY}{@code =true} (CI) it fails instead,
 * so nothing is skipped silently.
 * <pre>{@code
 * @RequiresServices(POSTGRES)
 * class ItemServicePostgresIT { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ServicesCondition.class)
public @interface RequiresServices {
    /** System property that turns a missing service from a skip into a failure. */
    String REQUIRED_PROPERTY = "dharma.require.services";

    /**
     * The services the tests use.
     *
     * @return services, each checked before the class (or method) runs
     */
    Service[] value();

    /** A service of the machine that integration tests use. */
    enum Service {
        /** The shared PostgreSQL ({@link PostgresSchema}): 127.0.0.1:5432, or the server of {@code TEST_PG_URL}. */
        POSTGRES,
        /** The shared Redis at 127.0.0.1:6379. */
        REDIS,
        /** {@code redis-server} and {@code redis-cli} on the PATH ({@link RedisServer}, {@link RedisCluster}). */
        REDIS_BINARIES,
        /** PostgreSQL server binaries under {@code /usr/lib/postgresql/<version>/bin} ({@link PostgresServer}). */
        POSTGRES_BINARIES,
        /** {@code kubectl} on the PATH, to render the kustomize manifests. */
        KUBECTL,
        /** {@code chromium} on the PATH (Debian's package), to load pages headless ({@link SmokeCheck}). */
        CHROMIUM
    }
}
