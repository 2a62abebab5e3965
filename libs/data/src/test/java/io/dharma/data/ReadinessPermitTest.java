package io.dharma.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.health.HealthCheckResponse;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The readiness check takes a permit of the database's concurrency limit like every request, so probes never hold
 * connections the limit does not allow: with every permit taken it waits, then reports DOWN.
 */
class ReadinessPermitTest {
    @Test
    void readinessWaitsForAPermitLikeEveryCall() throws Exception {
        Config config = Config.just(ConfigSources.create(Map.of(
                "db.url", "jdbc:h2:mem:readiness-permit;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                "db.max-concurrency", "2",
                "db.health.timeout", "PT2S",
                "db.migrations.enabled", "false")));
        try (Database db = Database.create(config.get("db"), "readiness-permit");
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            db.execute(exec -> exec.get("SELECT 1"));   // the pool is open
            HealthCheckResponse free = db.readinessCheck().call();
            assertThat(free.details().toString(), free.status(), is(HealthCheckResponse.Status.UP));

            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<?>> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                holders.add(threads.submit(() -> db.execute(exec -> {
                    holding.countDown();
                    await(release);
                    return null;
                })));
            }
            holding.await();
            List<Future<HealthCheckResponse>> probes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                probes.add(threads.submit(() -> db.readinessCheck().call()));
            }
            for (Future<HealthCheckResponse> probe : probes) {
                HealthCheckResponse response = probe.get();
                assertThat(response.details().toString(), response.status(), is(HealthCheckResponse.Status.DOWN));
            }

            release.countDown();
            for (Future<?> holder : holders) {
                holder.get();
            }
            assertThat(db.readinessCheck().call().status(), is(HealthCheckResponse.Status.UP));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
