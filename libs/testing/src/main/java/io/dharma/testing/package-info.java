/**
 * Test support for Dharma services (test scope only).
 * <p>
 * Entry points: {@link io.dharma.testing.PostgresSchema} (a PostgreSQL schema per test class, on the real server),
 * {@link io.dharma.testing.HttpTestClient} (a small JSON HTTP client), {@link io.dharma.testing.ProblemAssertions}
 * (checks a problem response is well-formed and leaks nothing), {@link io.dharma.testing.RedisServer} (a private
 * redis-server to stop, kill, pause or restart, optionally with a rotatable password), {@link io.dharma.testing.PostgresServer}
 * (a private PostgreSQL cluster to crash, restart or rotate a role's password in), {@link io.dharma.testing.Load}
 * (a steady load whose outcomes a fault or rotation test counts and inspects), {@link io.dharma.testing.ServiceProcess} (a built jar
 * as a child JVM), {@link io.dharma.testing.SmokeCheck} (the black-box check every service runs against its jar) and
 * {@link io.dharma.testing.ContractCheck} (the routing and the served OpenAPI document agree with the checked-in one).
 * {@link io.dharma.testing.RequiresServices} skips a test whose PostgreSQL or Redis the machine lacks (fails it with
 * {@code -Ddharma.require.services=true}).
 */
@NullMarked
package io.dharma.testing;

import org.jspecify.annotations.NullMarked;
