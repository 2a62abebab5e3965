/**
 * Test support for Dharma services (test scope only).
 * <p>
 * Entry points: {@link io.dharma.testing.PostgresSchema} (a PostgreSQL schema per test class, on the real server),
 * {@link io.dharma.testing.HttpTestClient} (a small JSON HTTP client) and {@link io.dharma.testing.ProblemAssertions}
 * (checks a problem response is well-formed and leaks nothing).
 */
@NullMarked
package io.dharma.testing;

import org.jspecify.annotations.NullMarked;
