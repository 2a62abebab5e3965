package io.dharma.services.blueprint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import jakarta.json.JsonObject;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Load;
import io.dharma.testing.PostgresSchema;
import io.dharma.testing.RedisCluster;
import io.dharma.testing.RedisServer;
import io.dharma.testing.RequiresServices;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static io.dharma.testing.RequiresServices.Service.POSTGRES;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Redis crashes ({@code SIGKILL}), hangs ({@code SIGSTOP} longer than every client timeout) and restarts under a steady
 * load on two blueprint-service instances sharing it (rate limits and L2 caches) and one PostgreSQL schema. Reads are
 * under fail-open limits, creates under a fail-closed route policy ({@code failure: closed}), as
 * docs/rate-limiting.md describes: while Redis is gone reads keep being answered, creates get a 503 problem with
 * {@code Retry-After}, and nothing else (no other 5xx, no 4xx, no request without an answer). Readiness stays UP and
 * says {@code degraded}, then recovers without a restart; a write made during the outage on one instance is what
 * the other reads after it; every acknowledged create is readable on both. The figures (requests per status,
 * recovery times) are printed for docs/reliability.md; phase lengths come from {@code faults.redis.outage} (default
 * {@code PT3S}) and {@code faults.redis.workers} (default 6), longer in the {@code faults-long} profile. On a Redis
 * Cluster the fault is the primary of the blueprints cache's slot killed under the same load, healed by its replica's
 * promotion: the same rules, except that creates are refused only if their buckets lived on that primary.
 */
@RequiresServices({POSTGRES, REDIS_BINARIES})
class RedisFaultsIT {
    @RegisterExtension
    static final PostgresSchema POSTGRES = PostgresSchema.create();
    private static final String KEY = Tokens.randomSecret();
    private static final String OWNER = "Bearer " + Tokens.hmac(KEY).valid("redis-faults", List.of(), "enterprise");
    private static final Duration OUTAGE = Duration.parse(System.getProperty("faults.redis.outage", "PT3S"));
    private static final int WORKERS = Integer.getInteger("faults.redis.workers", 6);
    private static final IntPredicate GOOD = s -> s == 200 || s == 201;
    private static TwoInstances pair;
    private static RedisServer redis;

    @BeforeAll
    static void start() {
        pair = TwoInstances.start(config(), List.of("fail-closed-creates.yaml"));
        redis = pair.server();
    }

    private static Map<String, String> config() {
        Map<String, String> config = new HashMap<>(POSTGRES.dbConfig());
        config.put("security.jwt.hmac-secret", KEY);
        config.put("rate-limit.policies.user.capacity", "1000000");
        config.put("rate-limit.policies.user.per-tier.enterprise", "1000000");
        return config;
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void killedRedisUnderLoad() throws InterruptedException {
        faultUnderLoad(pair, "SIGKILL, restart empty", () -> redis.kill(), () -> redis.restart(), true);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pausedRedisUnderLoad() throws InterruptedException {
        faultUnderLoad(pair, "SIGSTOP, SIGCONT", () -> redis.pause(), () -> redis.resume(), true);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stoppedRedisUnderLoad() throws InterruptedException {
        faultUnderLoad(pair, "SIGTERM, restart empty", () -> redis.stop(), () -> redis.restart(), true);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void killedClusterPrimaryUnderLoad() throws InterruptedException {
        // the primary of the blueprints cache's slot: reads and writes of that cache fail until its replica takes
        // over; decisions whose buckets sit on other primaries go on, so refusals are possible, not certain
        try (TwoInstances onCluster = TwoInstances.startOnCluster(config(), List.of("fail-closed-creates.yaml"))) {
            RedisCluster cluster = onCluster.cluster();
            int[] killed = new int[1];
            faultUnderLoad(onCluster, "cluster primary SIGKILL, replica promoted", () -> {
                killed[0] = cluster.primaryOf("cache:{blueprints}:seq");
                cluster.kill(killed[0]);
            }, () -> {
                cluster.awaitHealthy();
                cluster.restart(killed[0]);
            }, false);
        }
    }

    private void faultUnderLoad(TwoInstances pair, String fault, Runnable inject, Runnable heal, boolean refusals)
            throws InterruptedException {
        HttpTestClient a = pair.a;
        HttpTestClient b = pair.b;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(create(a).getString("id"));
        }
        // both instances have every blueprint in L1 (and Redis in L2) before the fault
        for (String id : ids) {
            assertThat(get(a, id).getInt("version"), is(1));
            assertThat(get(b, id).getInt("version"), is(1));
        }
        String changedDuring = ids.getFirst();
        String changedAfter = ids.getLast();
        String nameDuring = "changed-during-" + System.nanoTime();
        String nameAfter = "changed-after-" + System.nanoTime();
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        try (Load load = Load.start(WORKERS, Duration.ofMillis(2), (worker, n) -> {
            HttpTestClient client = (worker + n) % 2 == 0 ? a : b;
            if (worker == 0) {
                Response created = client.json("POST", "/api/v1/blueprints", body("load-" + System.nanoTime()),
                                               "Authorization", OWNER);
                if (created.status() == 201) {
                    acknowledged.add(created.json().getString("id"));
                }
                return checked(created, 201);
            }
            return checked(client.get("/api/v1/blueprints/" + ids.get((int) (n % ids.size())), "Authorization", OWNER), 200);
        })) {
            Thread.sleep(OUTAGE.toMillis() / 2);
            long faultAt = System.nanoTime();
            inject.run();
            try {
                // the first reads after the fault pay the client timeouts; then both instances are degraded
                awaitReadiness(pair.first, true);
                awaitReadiness(pair.second, true);
                Response replaced = a.json("PUT", "/api/v1/blueprints/" + changedDuring, body(nameDuring),
                                           "Authorization", OWNER, "If-Match", "\"1\"");
                assertThat(replaced.body(), replaced.status(), is(200));
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - faultAt) / 1_000_000));
            } finally {
                heal.run();
            }
            long healedAt = System.nanoTime();
            long readyA = awaitReadiness(pair.first, false) - healedAt;
            long readyB = awaitReadiness(pair.second, false) - healedAt;
            Response replaced = b.json("PUT", "/api/v1/blueprints/" + changedAfter, body(nameAfter),
                                       "Authorization", OWNER, "If-Match", "\"1\"");
            assertThat(replaced.body(), replaced.status(), is(200));
            Thread.sleep(OUTAGE.toMillis() / 2);
            load.stop();

            assertThat("answers that broke the rules: " + load.failures(), load.count(s -> s == Load.WRONG_ANSWER),
                       is(0L));
            assertThat("requests without an answer", load.unanswered(), is(0L));
            if (refusals) {
                assertThat("creates were refused while Redis was gone", load.count(s -> s == 503) > 0, is(true));
            }
            Duration recovered = load.recovery(healedAt, GOOD).orElseThrow(() -> new AssertionError(
                    "still failing at the end: " + load.statuses()));
            // a write made during the outage on A, and one after it on B, are what the other instance reads
            assertThat(get(b, changedDuring).getString("name"), is(nameDuring));
            assertThat(get(a, changedDuring).getInt("version"), is(2));
            assertThat(get(a, changedAfter).getString("name"), is(nameAfter));
            for (String id : acknowledged) {
                assertThat("acknowledged create " + id + " on A", a.get("/api/v1/blueprints/" + id, "Authorization", OWNER)
                        .status(), is(200));
                assertThat("acknowledged create " + id + " on B", b.get("/api/v1/blueprints/" + id, "Authorization", OWNER)
                        .status(), is(200));
            }
            System.out.printf("FIGURE redis | %s for %s | %d workers, %.0f req/s | sent %d, statuses %s, unanswered %d,"
                                      + " acknowledged creates %d, lost 0 | requests good again %d ms after the repair,"
                                      + " readiness not degraded after %d ms (A) / %d ms (B) | fault at +%d ms%n",
                              fault, OUTAGE, WORKERS, load.rate(), load.sent(), load.statuses(), load.unanswered(),
                              acknowledged.size(), recovered.toMillis(), readyA / 1_000_000, readyB / 1_000_000,
                              (faultAt - load.samples().getFirst().startNanos()) / 1_000_000);
        }
    }

    /**
     * The status of an answer that is allowed under a Redis fault: the expected one, or a well-formed 503 problem with
     * {@code Retry-After} (from the fail-closed policy); anything else is an {@link AssertionError}.
     */
    private static int checked(Response response, int expected) {
        if (response.status() == 503) {
            assertProblem(response, 503, "SERVICE_UNAVAILABLE");
            assertThat("Retry-After on a 503", response.header("Retry-After").isPresent(), is(true));
        } else {
            assertThat(response.body(), response.status(), is(expected));
        }
        return response.status();
    }

    /**
     * Poll readiness until it says (or stops saying) {@code degraded}; it must answer 200 throughout.
     *
     * @return {@link System#nanoTime()} when it did
     */
    private static long awaitReadiness(DharmaService service, boolean degraded) throws InterruptedException {
        HttpTestClient management = HttpTestClient.create(service.managementPort());
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(30).toNanos();
        while (true) {
            Response ready = management.get("/health/ready");
            assertThat(ready.body(), ready.status(), is(200));
            if (ready.body().contains("degraded") == degraded) {
                return System.nanoTime();
            }
            assertThat("readiness still " + (degraded ? "not " : "") + "degraded after 30 s: " + ready.body(),
                       System.nanoTime() < deadline, is(true));
            Thread.sleep(50);
        }
    }

    private static JsonObject create(HttpTestClient client) {
        Response created = client.json("POST", "/api/v1/blueprints", body("redis-" + System.nanoTime()), "Authorization",
                                       OWNER);
        assertThat(created.body(), created.status(), is(201));
        return created.json();
    }

    private static JsonObject get(HttpTestClient client, String id) {
        Response response = client.get("/api/v1/blueprints/" + id, "Authorization", OWNER);
        assertThat(response.body(), response.status(), is(200));
        return response.json();
    }

    private static String body(String name) {
        return """
                {"name": "%s", "targetCloud": "aws", "resources": [{"type": "vm", "size": "small", "count": 1,
                 "region": "us-east-1"}]}""".formatted(name);
    }
}
