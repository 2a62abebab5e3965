package io.dharma.resilience;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import io.dharma.logging.CorrelationIdClientService;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.SocketOptions;
import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.faulttolerance.Retry;
import io.helidon.faulttolerance.RetryTimeoutException;
import io.helidon.faulttolerance.Timeout;
import io.helidon.faulttolerance.TimeoutException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.spi.WebClientService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Downstream} built from Helidon fault tolerance. From the outside in: the bulkhead admits the call (or
 * refuses it when its slots and queue are full), the retry repeats transient failures of idempotent requests with
 * backoff within the overall timeout, the circuit breaker counts every attempt (and refuses while open), and a timeout
 * bounds each attempt (also set as the socket read timeout, so a blocked read ends even on a platform thread).
 */
final class ResilientDownstream implements Downstream {
    private static final Logger LOGGER = LoggerFactory.getLogger(ResilientDownstream.class);
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    // a downstream's own Retry-After is passed on up to this
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    // configuration
    private final DownstreamConfig config;
    private final String name;
    private final WebClient client;
    private final LongSupplier nanoTime;

    // fault tolerance, outermost first
    private final Bulkhead bulkhead;
    private final Retry retry;
    private final CircuitBreaker breaker;

    // runtime
    private final ResilienceMetrics metrics;
    private final BreakerWatch watch;

    ResilientDownstream(DownstreamConfig config, List<WebClientService> services, DoubleSupplier random,
                        LongSupplier nanoTime) {
        this.config = config;
        this.name = config.name();
        this.nanoTime = nanoTime;
        this.client = WebClient.builder()
                .baseUri(config.baseUrl())
                // a 3xx is the caller's to see; following it could lead the call to another host
                .followRedirects(false)
                .socketOptions(SocketOptions.builder()
                                       .connectTimeout(config.timeout())
                                       .readTimeout(config.timeout())
                                       .build())
                .addService(CorrelationIdClientService.create())
                .update(builder -> services.forEach(builder::addService))
                .build();
        DownstreamConfig.Bulkhead bulkheadConfig = config.bulkhead();
        this.bulkhead = Bulkhead.builder()
                .name(name + "-bulkhead")
                .limit(bulkheadConfig.limit())
                .queueLength(bulkheadConfig.queue())
                .build();
        DownstreamConfig.Retry retryConfig = config.retry();
        this.retry = Retry.builder()
                .name(name + "-retry")
                .retryPolicy(new BackoffPolicy(retryConfig, random))
                .overallTimeout(retryConfig.overallTimeout())
                .addApplyOn(AttemptFailure.Transient.class)
                .build();
        DownstreamConfig.Breaker breakerConfig = config.breaker();
        this.breaker = CircuitBreaker.builder()
                .name(name + "-breaker")
                .volume(breakerConfig.window())
                .errorRatio(breakerConfig.failureRatio())
                .delay(breakerConfig.delay())
                .successThreshold(breakerConfig.successThreshold())
                // only failed attempts count; a bug in the caller (an exception of another type) does not
                .addApplyOn(AttemptFailure.class)
                .build();
        this.metrics = new ResilienceMetrics(name, breaker);
        this.watch = new BreakerWatch(name, breaker, breakerConfig.delay(), metrics, nanoTime);
    }

    @Override
    public String name() {
        return name;
    }

    DownstreamConfig config() {
        return config;
    }

    BreakerWatch watch() {
        return watch;
    }

    // calls waiting in the bulkhead queue
    long queued() {
        return bulkhead.stats().waitingQueueSize();
    }

    @Override
    public CircuitBreaker.State breakerState() {
        return watch.observe();
    }

    @Override
    public DownstreamResponse execute(DownstreamRequest request) {
        long start = nanoTime.getAsLong();
        long deadline = start + config.retry().overallTimeout().toNanos();
        AtomicInteger attempts = new AtomicInteger();
        String outcome = "error";
        try {
            DownstreamResponse response = bulkhead.invoke(() -> request.idempotent()
                    ? retry.invoke(() -> attempt(request, deadline, attempts))
                    : attempt(request, deadline, attempts));
            outcome = response.status().code() >= 400 ? "client-error" : "success";
            return response;
        } catch (RuntimeException e) {
            DownstreamException failure = translate(e);
            outcome = failure.reason().tag();
            throw failure;
        } finally {
            metrics.call(outcome, Duration.ofNanos(nanoTime.getAsLong() - start));
        }
    }

    private DownstreamResponse attempt(DownstreamRequest request, long deadline, AtomicInteger attempts) {
        if (attempts.incrementAndGet() > 1) {
            metrics.retry();
        }
        long left = deadline - nanoTime.getAsLong();
        if (left <= 0) {
            // the bulkhead queue or the backoff used the time up: not the downstream's failure, not worth a retry
            throw AttemptFailure.outOfTime(describe(request), config.retry().overallTimeout());
        }
        Duration budget = Duration.ofNanos(Math.min(left, config.timeout().toNanos()));
        watch.observe();
        try {
            return breaker.invoke(() -> timed(request, budget));
        } finally {
            watch.observe();
        }
    }

    private DownstreamResponse timed(DownstreamRequest request, Duration budget) {
        try {
            return Timeout.builder()
                    .name(name + "-timeout")
                    .timeout(budget)
                    .currentThread(true)
                    .build()
                    .invoke(() -> send(request, budget));
        } catch (TimeoutException e) {
            throw AttemptFailure.timeout(describe(request), budget, e);
        }
    }

    private DownstreamResponse send(DownstreamRequest request, Duration budget) {
        HttpClientRequest http = client.method(request.method()).uri(request.uri()).readTimeout(budget);
        request.headers().forEach((header, value) -> http.header(HeaderNames.create(header), value));
        try (HttpClientResponse response = request.body().isPresent() ? http.submit(request.body().get()) : http.request()) {
            Status status = response.status();
            Headers headers = WritableHeaders.create(response.headers());
            if (status.code() >= 500) {
                throw AttemptFailure.status(describe(request), status.code(), retryAfter(headers));
            }
            byte[] body = response.entity().hasEntity() ? response.entity().as(byte[].class) : new byte[0];
            return new DownstreamResponse(name, status, headers, body);
        } catch (AttemptFailure e) {
            throw e;
        } catch (RuntimeException e) {
            // a transport failure, however Helidon wraps it: UncheckedIOException, InsufficientDataAvailableException,
            // or a plain RuntimeException ("Exception in socket monitor thread") around the reset of a pooled
            // connection whose peer died; anything else is not the downstream's failure
            if (!(e instanceof DataReader.InsufficientDataAvailableException) && !hasCause(e, IOException.class)) {
                throw e;
            }
            // the socket read timeout, or the Timeout's interrupt, which closes a virtual thread's socket (and stays
            // set: Helidon's Timeout may not have flagged the interrupt yet when it sees this failure)
            boolean timedOut = hasCause(e, SocketTimeoutException.class) || Thread.currentThread().isInterrupted();
            throw timedOut ? AttemptFailure.timeout(describe(request), budget, e) : AttemptFailure.connection(describe(request), e);
        }
    }

    private DownstreamException translate(RuntimeException e) {
        if (e instanceof DownstreamException failure) {
            return failure;
        }
        if (e instanceof BulkheadException) {
            metrics.rejected(DownstreamException.Reason.BULKHEAD_FULL);
            return DownstreamException.rejected(name, DownstreamException.Reason.BULKHEAD_FULL, ONE_SECOND);
        }
        if (e instanceof CircuitBreakerOpenException) {
            metrics.rejected(DownstreamException.Reason.BREAKER_OPEN);
            // open: until it turns half-open; half-open with its probe in flight: shortly
            return DownstreamException.rejected(name, DownstreamException.Reason.BREAKER_OPEN,
                                                watch.openFor().orElse(ONE_SECOND));
        }
        // the retry gave up for lack of time: the last attempt's failure decides
        Throwable cause = e instanceof RetryTimeoutException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof AttemptFailure failure) {
            LOGGER.debug("Call failed: {}", failure.getMessage());
            if (failure.timedOut()) {
                return DownstreamException.timeout(name, failure);
            }
            // as long as the downstream asked (within reason), and at least until the breaker lets calls through again
            Duration asked = failure.retryAfter().map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d)
                    .orElse(ONE_SECOND);
            Duration open = watch.openFor().orElse(Duration.ZERO);
            return DownstreamException.unavailable(name, asked.compareTo(open) >= 0 ? asked : open, failure);
        }
        throw e;
    }

    // for logs: the query string may carry personal data, the path rarely does
    private String describe(DownstreamRequest request) {
        return request.method().text() + " " + request.uri().getRawPath() + " to " + name;
    }

    // Retry-After in delta-seconds; an HTTP date is ignored (the caller then gets the default)
    private static Optional<Duration> retryAfter(Headers headers) {
        return headers.first(HeaderNames.RETRY_AFTER)
                .filter(value -> value.matches("\\d{1,6}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value)));
    }

    private static boolean hasCause(Throwable t, Class<? extends IOException> type) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
