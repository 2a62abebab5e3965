package io.dharma.services.blueprint;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Load;
import io.dharma.testing.ServiceProcess;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.dharma.services.blueprint.CostRouteIT.OWNER;
import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * cost-service crashes ({@code SIGKILL}, then started again) or hangs ({@code SIGSTOP}, then {@code SIGCONT}) while
 * blueprint-service is under a load of {@code GET /api/v1/blueprints/{id}/cost}: blueprints priced before the fault are
 * answered with their last known estimate marked {@code stale} (never an error), blueprints never priced get a 503
 * problem with {@code Retry-After} (or, while the breaker is still closed and cost-service hangs, the documented 504
 * {@code UPSTREAM_TIMEOUT} after the per-attempt timeouts), the breaker opens, and fresh estimates come back once
 * cost-service does, without restarting blueprint-service. The per-version estimate cache is off here, so every
 * request reaches the resilient client. Figures are printed for docs/reliability.md; {@code faults.downstream.outage}
 * (default {@code PT3S}) sets the fault's length.
 */
class DownstreamFaultsIT {
    private static final Duration OUTAGE = Duration.parse(System.getProperty("faults.downstream.outage", "PT3S"));
    private static final int WORKERS = Integer.getInteger("faults.downstream.workers", 4);
    private int costPort;
    private ServiceProcess cost;
    private DharmaService blueprints;
    private HttpTestClient client;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            costPort = socket.getLocalPort();
        }
        cost = ServiceProcess.start(CostRouteIT.COST_JAR, CostRouteIT.costEnvironment(costPort, Map.of()));
        Map<String, String> config = new HashMap<>(CostRouteIT.downstream(costPort));
        config.put("resilience.downstreams.cost-service.breaker.window", "10");
        config.put("cache.caches.cost-estimates.enabled", "false");
        blueprints = TestServices.start(config);
        client = HttpTestClient.create(blueprints.port());
    }

    @AfterEach
    void stop() {
        if (blueprints != null) {
            blueprints.stop();
        }
        if (cost != null) {
            cost.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void killedCostServiceUnderLoad() throws Exception {
        faultUnderLoad("SIGKILL, started again", () -> cost.kill(), () -> cost = ServiceProcess.start(
                CostRouteIT.COST_JAR, CostRouteIT.costEnvironment(costPort, Map.of())));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void suspendedCostServiceUnderLoad() throws Exception {
        faultUnderLoad("SIGSTOP, SIGCONT", () -> cost.suspend(), () -> cost.resume());
    }

    private void faultUnderLoad(String fault, Runnable inject, Runnable heal) throws Exception {
        List<String> priced = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = create();
            Response estimate = client.get(costPath(id), "Authorization", OWNER);
            assertThat(estimate.body(), estimate.status(), is(200));
            priced.add(id);
        }
        Queue<Long> staleAnswers = new ConcurrentLinkedQueue<>();
        AtomicLong unpricedRefused = new AtomicLong();
        AtomicLong breakerOpenSeen = new AtomicLong();
        try (Load load = Load.start(WORKERS, Duration.ofMillis(5), (worker, n) -> {
            if (worker == 0) {
                // a blueprint never priced before: no last known estimate to fall back on
                Response response = client.get(costPath(create()), "Authorization", OWNER);
                if (response.status() == 503) {
                    assertProblem(response, 503, "SERVICE_UNAVAILABLE");
                    assertThat("Retry-After on a 503", response.header("Retry-After").isPresent(), is(true));
                    unpricedRefused.incrementAndGet();
                } else if (response.status() == 504) {
                    assertProblem(response, 504, "UPSTREAM_TIMEOUT");
                    unpricedRefused.incrementAndGet();
                } else {
                    assertThat(response.body(), response.status(), is(200));
                }
                return response.status();
            }
            long sent = System.nanoTime();
            Response response = client.get(costPath(priced.get((int) (n % priced.size()))), "Authorization", OWNER);
            assertThat("a priced blueprint is always answered: " + response.body(), response.status(), is(200));
            if (response.json().getBoolean("stale")) {
                staleAnswers.add(sent);
            }
            return 200;
        })) {
            Thread.sleep(OUTAGE.toMillis() / 2);
            long faultAt = System.nanoTime();
            inject.run();
            try {
                long deadline = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < deadline) {
                    if (breakerState() == 2.0) {
                        breakerOpenSeen.compareAndSet(0, System.nanoTime());
                    }
                    Thread.sleep(50);
                }
            } finally {
                heal.run();
            }
            long healedAt = System.nanoTime();
            Thread.sleep(OUTAGE.toMillis());
            load.stop();

            assertThat("answers that broke the rules: " + load.failures(), load.count(s -> s == Load.WRONG_ANSWER),
                       is(0L));
            assertThat("requests without an answer", load.unanswered(), is(0L));
            assertThat("the breaker opened during the fault", breakerOpenSeen.get() > 0, is(true));
            assertThat("stale estimates were served during the fault", staleAnswers.isEmpty(), is(false));
            assertThat("unpriced blueprints were refused during the fault", unpricedRefused.get() > 0, is(true));
            long lastStale = staleAnswers.stream().mapToLong(Long::longValue).max().orElseThrow();
            Duration recovered = load.recovery(healedAt, s -> s == 200).orElseThrow(() -> new AssertionError(
                    "still failing at the end: " + load.statuses()));
            // fresh again, from the same blueprint-service instance
            for (String id : priced) {
                Response fresh = client.get(costPath(id), "Authorization", OWNER);
                assertThat(fresh.body(), fresh.status(), is(200));
                assertThat(fresh.body(), fresh.json().getBoolean("stale"), is(false));
            }
            assertThat(breakerState(), is(0.0));
            System.out.printf("FIGURE downstream | %s for %s | %d workers, %.0f req/s | sent %d, statuses %s, unanswered"
                                      + " %d, stale answers %d, unpriced refused %d, lost 0 | breaker open %d ms after"
                                      + " the fault | all answers 200 %d ms after the repair, last stale answer %d ms"
                                      + " after it%n",
                              fault, OUTAGE, WORKERS, load.rate(), load.sent(), load.statuses(), load.unanswered(),
                              staleAnswers.size(), unpricedRefused.get(), (breakerOpenSeen.get() - faultAt) / 1_000_000,
                              recovered.toMillis(), (lastStale - healedAt) / 1_000_000);
        }
    }

    private double breakerState() {
        return CostRouteIT.metric(HttpTestClient.create(blueprints.managementPort()), "resilience_breaker_state",
                                  CostEstimates.DOWNSTREAM);
    }

    private String create() {
        Response created = client.json("POST", "/api/v1/blueprints", """
                {"name": "faults-%s", "targetCloud": "aws", "resources": [{"type": "vm", "size": "small", "count": 1,
                 "region": "us-east-1"}]}""".formatted(System.nanoTime()), "Authorization", OWNER);
        assertThat(created.body(), created.status(), is(201));
        return created.json().getString("id");
    }

    private static String costPath(String id) {
        return "/api/v1/blueprints/" + id + "/cost";
    }
}
