package io.dharma.services.blueprint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.ServiceProcess;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * SIGTERM to the built jar during a steady load of creates and reads, with a client that behaves as a load balancer:
 * it polls readiness and stops sending {@value #LB_REACTION_MS} ms after readiness turns 503 (well within the drain
 * delay). Every request it sent gets a complete answer with its normal status (201 / 200: no reset, no timeout, no 5xx),
 * requests sent after readiness turned 503 included; readiness stays 503 from the signal until the management port
 * closes, liveness stays 200 during the drain; the process then exits.
 * <p>
 * POSTs are never retried by the JDK client, so a request the server read but did not answer cannot be hidden by a
 * silent retry.
 */
class DrainUnderLoadIT {
    private static final Path JAR = Path.of("target", "blueprint-service.jar");
    private static final int WORKERS = 4;
    private static final long LB_REACTION_MS = 1000;

    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger answeredAfterFlip = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicBoolean flipped = new AtomicBoolean();

    @Test
    @Timeout(120)
    void everyRequestSentUntilTheBalancerStopsIsAnsweredThenTheProcessExits() throws Exception {
        String signingKey = Tokens.randomSecret();
        String bearer = "Bearer " + Tokens.hmac(signingKey).valid("steady-client");
        try (ServiceProcess service = ServiceProcess.start(JAR, Map.of("SERVICE_DRAIN_dash_DELAY", "PT3S",
                                                                       "SERVICE_GRACE_dash_PERIOD", "PT20S",
                                                                       "SECRET_JWT_SIGNING_KEY", signingKey,
                                                                       "RATE_dash_LIMIT_POLICIES_IP_CAPACITY", "1000000",
                                                                       "RATE_dash_LIMIT_POLICIES_USER_CAPACITY", "1000000"));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpTestClient api = HttpTestClient.create(service.port());
            HttpTestClient management = HttpTestClient.create(service.managementPort());
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                threads.submit(() -> load(api, bearer, worker));
            }
            List<Integer> readinessAfterFlip = new ArrayList<>();
            List<Integer> livenessDuringDrain = new ArrayList<>();
            threads.submit(() -> balancer(management, readinessAfterFlip, livenessDuringDrain));

            // a steady load first
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (answered.get() < 100 && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat("steady load before the signal; failures: " + failures, answered.get(), greaterThan(99));
            int beforeSignal = answered.get();

            service.terminate();
            threads.shutdown();
            assertThat("load and balancer stopped", threads.awaitTermination(60, TimeUnit.SECONDS), is(true));
            service.awaitExit(Duration.ofSeconds(40));

            System.out.printf("drain under load: %d answered before SIGTERM, %d in all, %d sent after readiness turned 503;"
                                      + " %d without a complete answer%n", beforeSignal, answered.get(),
                              answeredAfterFlip.get(), failures.size());
            assertThat("requests without a complete, normal answer", List.copyOf(failures), is(empty()));
            assertThat("served during the drain", answered.get(), greaterThan(beforeSignal));
            assertThat("served after readiness turned 503", answeredAfterFlip.get(), greaterThan(0));
            assertThat("readiness turned 503", flipped.get(), is(true));
            assertThat("readiness after the flip", readinessAfterFlip, not(hasItem(200)));
            assertThat("liveness during the drain", livenessDuringDrain, not(hasItem(503)));
            assertThat(service.output().stream().map(l -> l.contains("\"message\":\"Stopped\"")).toList(), hasItem(true));
        }
    }

    /** Creates a blueprint, reads it back, and again, until the balancer stops sending. */
    private void load(HttpTestClient api, String bearer, int worker) {
        for (int i = 0; sending.get(); i++) {
            String body = AbstractBlueprintServiceTest.body("steady-" + worker + "-" + i, "aws");
            String id = send("POST", 201, flipped.get(),
                             () -> api.json("POST", "/api/v1/blueprints", body, "Authorization", bearer));
            if (id != null && sending.get()) {
                send("GET", 200, flipped.get(), () -> api.get("/api/v1/blueprints/" + id, "Authorization", bearer));
            }
        }
    }

    private String send(String what, int expected, boolean afterFlip, Supplier<Response> request) {
        try {
            Response response = request.get();
            if (response.status() != expected) {
                failures.add(what + " answered " + response.status() + ": " + response.body());
                return null;
            }
            answered.incrementAndGet();
            if (afterFlip) {
                answeredAfterFlip.incrementAndGet();
            }
            return expected == 201 ? response.json().getString("id") : "";
        } catch (RuntimeException e) {
            failures.add(what + " failed: " + e);
            return null;
        }
    }

    /**
     * Polls readiness as a load balancer does; stops the load {@value #LB_REACTION_MS} ms after readiness turns 503,
     * then keeps polling readiness and liveness until the management port closes.
     */
    private void balancer(HttpTestClient management, List<Integer> readinessAfterFlip, List<Integer> livenessDuringDrain) {
        long stopAt = Long.MAX_VALUE;
        while (true) {
            int ready;
            try {
                ready = management.get("/health/ready").status();
                if (flipped.get()) {
                    livenessDuringDrain.add(management.get("/health/live").status());
                }
            } catch (RuntimeException closed) {
                sending.set(false);
                return;
            }
            if (ready == 503 && flipped.compareAndSet(false, true)) {
                stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LB_REACTION_MS);
            } else if (flipped.get()) {
                readinessAfterFlip.add(ready);
            }
            if (System.nanoTime() >= stopAt) {
                sending.set(false);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
