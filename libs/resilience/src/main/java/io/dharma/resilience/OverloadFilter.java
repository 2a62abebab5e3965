package io.dharma.resilience;

import java.util.Optional;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.Problems;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Admits a request through the {@link ConcurrencyLimiter} or answers 503 {@code OVERLOADED} with {@code Retry-After}
 * at once; the permit is released once the rest of the chain has answered.
 */
final class OverloadFilter implements Filter {
    private final ConcurrencyLimiter limiter;
    // immutable and without a stack trace: one instance answers every refused request
    private final ApiException overloaded;

    OverloadFilter(ConcurrencyLimiter limiter) {
        this.limiter = limiter;
        long seconds = Math.max(1, (limiter.config().retryAfter().toMillis() + 999) / 1000);
        this.overloaded = ApiException.withHeader(ErrorCode.OVERLOADED,
                                                  "The service is at its concurrency limit; retry later",
                                                  "Retry-After", Long.toString(seconds));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<ConcurrencyLimiter.Permit> permit = limiter.tryAcquire();
        if (permit.isEmpty()) {
            Problems.send(req, res, overloaded);
            return;
        }
        try {
            chain.proceed();
        } finally {
            permit.get().release();
        }
    }
}
