package io.dharma.services.blueprint;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.ServiceProcess;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * SIGTERM to the built jar: readiness turns 503 at once, requests during the drain delay are served, and a slow
 * request in flight when the signal arrives completes with its normal answer (Helidon issue #10154 is the failure this
 * guards against).
 */
class GracefulShutdownIT {
    private static final Path JAR = Path.of("target", "blueprint-service.jar");

    @Test
    void inFlightAndDrainRequestsCompleteAfterSigterm() throws Exception {
        String signingKey = Tokens.randomSecret();
        String bearer = "Bearer " + Tokens.hmac(signingKey).valid("slow-client");
        try (ServiceProcess service = ServiceProcess.start(JAR, Map.of("SERVICE_DRAIN_dash_DELAY", "PT2S",
                                                                       "SERVICE_GRACE_dash_PERIOD", "PT20S",
                                                                       "SECRET_JWT_SIGNING_KEY", signingKey,
                                                                       "OPENAPI_VALIDATE_dash_RESPONSES", "true"))) {
            HttpTestClient client = HttpTestClient.create(service.port());
            CountDownLatch bodyStarted = new CountDownLatch(1);
            // a client that sends its body slowly: the request is in flight for about 4 s
            HttpRequest slow = client.request("/api/v1/blueprints")
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", bearer)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new SlowBody(AbstractBlueprintServiceTest.body("slow-upload", "aws"), bodyStarted)))
                    .build();
            CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> client.send(slow));
            assertThat(bodyStarted.await(10, TimeUnit.SECONDS), is(true));

            service.terminate();
            Thread.sleep(300);

            assertThat(HttpTestClient.create(service.managementPort()).get("/health/ready").status(), is(503));
            assertThat(HttpTestClient.create(service.managementPort()).get("/health/live").status(), is(200));
            Response duringDrain = client.get("/api/v1/blueprints?limit=1", "Authorization", bearer);
            assertThat(duringDrain.body(), duringDrain.status(), is(200));

            Response completed = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(completed.body(), completed.status(), is(201));
            assertThat(completed.json().getString("name"), is("slow-upload"));

            service.awaitExit(Duration.ofSeconds(40));
            assertThat(String.join("\n", service.output()), containsString("Shutting down"));
            assertThat(service.output().stream().map(l -> l.contains("\"message\":\"Stopped\"")).toList(), hasItem(true));
        }
    }

    /** Sends a JSON body over about four seconds, a few bytes at a time. */
    private static final class SlowBody extends InputStream {
        private final byte[] body;
        private final CountDownLatch started;
        private final long pauseMillis;
        private int position;

        private SlowBody(String json, CountDownLatch started) {
            this.body = json.getBytes(StandardCharsets.UTF_8);
            this.started = started;
            this.pauseMillis = Math.max(1, 4000 / (body.length / 16 + 1));
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= body.length) {
                return -1;
            }
            if (position > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            started.countDown();
            int n = Math.min(Math.min(16, length), body.length - position);
            System.arraycopy(body, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            position = body.length;
        }
    }
}
