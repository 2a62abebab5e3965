package io.dharma.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A flood of slow requests against a real server: past the concurrency limit requests are answered 503 OVERLOADED
 * with {@code Retry-After} while the admitted ones are still being handled (they wait on a latch the test holds), the
 * probes and metrics on the management port still answer, and once the slow requests finish new ones are admitted.
 * Without the limit every request of the flood would wait on the latch and none would be answered in time.
 */
class OverloadTest {
    private static final int LIMIT = 8;
    private static final int FLOOD = 30;
    private static final String SIGNING_KEY = Tokens.randomSecret();
    private static final String BEARER = "Bearer " + Tokens.hmac(SIGNING_KEY).valid("flooder");

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger handling = new AtomicInteger();

    @Test
    @Timeout(60)
    void requestsPastTheLimitAreRefusedAtOnceWhileProbesAnswer() throws Exception {
        DharmaService service = DharmaService.builder("overload-test")
                .config(Config.just(ConfigSources.create(Map.of("server.port", "0",
                                                                "management.port", "0",
                                                                "server.host", "127.0.0.1",
                                                                "db.enabled", "false",
                                                                "service.drain-delay", "PT0S",
                                                                "security.jwt.hmac-secret", SIGNING_KEY,
                                                                "resilience.concurrency.initial-limit",
                                                                Integer.toString(LIMIT)))))
                .shutdownHook(false)
                .api("/api/v1/things", ctx -> new SlowService())
                .start();
        HttpTestClient client = HttpTestClient.create(service.port());
        HttpTestClient management = HttpTestClient.create(service.managementPort());
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Response>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                String path = "/api/v1/things/slow-" + i;
                flood.add(CompletableFuture.supplyAsync(() -> client.get(path, "Authorization", BEARER), clients));
            }
            // every request past the limit is answered while the admitted ones are held in the handler
            List<Response> refused = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((refused.size() < FLOOD - LIMIT || handling.get() < LIMIT) && System.nanoTime() < deadline) {
                refused = flood.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
                Thread.sleep(20);
            }
            assertThat("answered while " + handling.get() + " requests are held", refused.size(), is(FLOOD - LIMIT));
            assertThat(handling.get(), is(LIMIT));
            for (Response response : refused) {
                assertThat(assertProblem(response, 503, "OVERLOADED").getString("detail"),
                           containsString("concurrency limit"));
                assertThat(response.header("Retry-After").orElse(""), is("1"));
                assertThat(response.header("X-Frame-Options").orElse(""), is("DENY"));
            }

            assertThat(management.get("/health/ready").status(), is(200));
            assertThat(management.get("/health/live").status(), is(200));
            String metrics = management.get("/metrics").body();
            assertThat(metrics, containsString("resilience_concurrency_limit{scope=\"application\",} " + LIMIT + ".0"));
            assertThat(metrics, containsString("resilience_concurrency_in_flight{scope=\"application\",} " + LIMIT + ".0"));
            assertThat(metrics, containsString("resilience_concurrency_shed_total{scope=\"application\",} "
                                                       + (FLOOD - LIMIT) + ".0"));
            assertThat(metrics, containsString("status=\"503\""));

            release.countDown();
            for (CompletableFuture<Response> request : flood) {
                Response response = request.get(30, TimeUnit.SECONDS);
                assertThat(response.body(), response.status() == 200 || response.status() == 503, is(true));
            }
            Response after = client.get("/api/v1/things/fast", "Authorization", BEARER);
            assertThat(after.body(), after.status(), is(200));
        } finally {
            release.countDown();
            service.stop();
        }
    }

    /** {@code GET /{id}}: ids starting with {@code slow} wait until the test releases them. */
    private final class SlowService implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/{id}", (req, res) -> {
                if (req.path().pathParameters().get("id").startsWith("slow")) {
                    handling.incrementAndGet();
                    if (!release.await(Duration.ofSeconds(50).toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                }
                res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"id\":\"done\"}");
            });
        }
    }
}
