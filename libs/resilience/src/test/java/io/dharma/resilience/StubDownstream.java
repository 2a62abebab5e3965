package io.dharma.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A real downstream on a loopback port that counts the requests it receives, per path:
 * <ul>
 *     <li>{@code /ok}: 200 {@code {"ok":true}}</li>
 *     <li>{@code /status/{code}}: that status with a small JSON body; {@code ?retry-after=N} adds {@code Retry-After}</li>
 *     <li>{@code /flaky}: 503 for the first {@link #failFlaky(int)} requests, then 200</li>
 *     <li>{@code /hold}: answers 200 only once {@link #release()} is called (or after 10 s)</li>
 *     <li>{@code /headers}: 200 with the received {@code X-Correlation-Id} and {@code X-Extra} headers as JSON</li>
 * </ul>
 * {@link #stop()} and {@link #restart()} take it down and bring it back on the same port.
 */
final class StubDownstream implements AutoCloseable {
    private static final HeaderName CORRELATION_ID = HeaderNames.create("X-Correlation-Id");

    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, List<String>> correlationIds = new ConcurrentHashMap<>();
    private final AtomicInteger flakyFailures = new AtomicInteger();
    private final AtomicInteger holding = new AtomicInteger();
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile WebServer server;
    private final int port;

    private StubDownstream() {
        this.server = start(0);
        this.port = server.port();
    }

    static StubDownstream start() {
        return new StubDownstream();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Requests received on a path (the query string left out). */
    int requests(String path) {
        return requests.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    /** The {@code X-Correlation-Id} of each request received on a path, in order ("" where there was none). */
    List<String> correlationIds(String path) {
        return List.copyOf(correlationIds.getOrDefault(path, List.of()));
    }

    /** Requests to {@code /hold} that are waiting for {@link #release()}. */
    int holding() {
        return holding.get();
    }

    void failFlaky(int times) {
        flakyFailures.set(times);
    }

    void release() {
        held.countDown();
        held = new CountDownLatch(1);
    }

    void stop() {
        server.stop();
    }

    void restart() {
        server = start(port);
    }

    @Override
    public void close() {
        held.countDown();
        server.stop();
    }

    private WebServer start(int port) {
        return WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofMillis(100))
                .routing(this::routing)
                .build()
                .start();
    }

    private void routing(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            requests.computeIfAbsent(req.path().path(), p -> new AtomicInteger()).incrementAndGet();
            correlationIds.computeIfAbsent(req.path().path(), p -> new CopyOnWriteArrayList<>())
                    .add(req.headers().first(CORRELATION_ID).orElse(""));
            chain.proceed();
        })
                .get("/ok", (req, res) -> json(res, Status.OK_200, Json.createObjectBuilder().add("ok", true)))
                .any("/status/{code}", this::status)
                .get("/flaky", this::flaky)
                .get("/hold", this::hold)
                .get("/headers", (req, res) -> json(res, Status.OK_200, Json.createObjectBuilder()
                        .add("correlationId", req.headers().first(CORRELATION_ID).orElse(""))
                        .add("extra", req.headers().first(HeaderNames.create("X-Extra")).orElse(""))));
    }

    private void status(ServerRequest req, ServerResponse res) {
        int code = Integer.parseInt(req.path().pathParameters().get("code"));
        req.query().first("retry-after").ifPresent(seconds -> res.header(HeaderNames.RETRY_AFTER, seconds));
        json(res, Status.create(code), Json.createObjectBuilder().add("status", code).add("detail", "stub answer"));
    }

    private void flaky(ServerRequest req, ServerResponse res) {
        if (flakyFailures.getAndDecrement() > 0) {
            json(res, Status.SERVICE_UNAVAILABLE_503, Json.createObjectBuilder().add("status", 503));
        } else {
            json(res, Status.OK_200, Json.createObjectBuilder().add("ok", true));
        }
    }

    private void hold(ServerRequest req, ServerResponse res) throws InterruptedException {
        CountDownLatch latch = held;
        holding.incrementAndGet();
        try {
            latch.await(10, TimeUnit.SECONDS);
        } finally {
            holding.decrementAndGet();
        }
        json(res, Status.OK_200, Json.createObjectBuilder().add("held", true));
    }

    private static void json(ServerResponse res, Status status, JsonObjectBuilder body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json").send(body.build().toString());
    }
}
