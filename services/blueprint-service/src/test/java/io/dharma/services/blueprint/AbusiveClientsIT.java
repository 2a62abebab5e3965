package io.dharma.services.blueprint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Load;
import io.dharma.testing.RawHttp;
import io.dharma.testing.ServiceProcess;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.dharma.testing.ProblemAssertions.assertNoInternals;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Abusive clients against the packaged blueprint-service jar (its own process, so its memory is its own) while a
 * well-behaved client keeps calling it: idle connections held open ({@code faults.abuse.connections}, 300 by default,
 * 10,000 in the {@code faults-long} profile), clients that send their request line a byte at a time (slowloris),
 * clients that send headers or a body a line or a byte at a time, a flood of oversized headers, a flood of forged
 * tokens and a flood over a rate limit. Asserted: every request of the well-behaved client succeeds; idle and
 * slow-request-line connections are closed by the server ({@code server.idle-connection-timeout}, short here);
 * oversized headers get a 431 problem, forged tokens a 401 problem, the flood over the limit 429 problems. Reported,
 * not asserted: the well-behaved client's p99 before and during the abuse, the service's resident memory before and
 * after, and whether header and body drips were cut.
 */
class AbusiveClientsIT {
    private static final Path JAR = Path.of("target", "blueprint-service.jar");
    private static final String KEY = Tokens.randomSecret();
    private static final Tokens TOKENS = Tokens.hmac(KEY);
    private static final String GOOD = "Bearer " + TOKENS.valid("well-behaved", List.of(), "enterprise");
    private static final String GREEDY = "Bearer " + TOKENS.valid("greedy", List.of(), "basic");
    private static final int CONNECTIONS = Integer.getInteger("faults.abuse.connections", 300);
    private static final Duration IDLE = Duration.ofSeconds(4);
    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        service = ServiceProcess.start(JAR, Map.of(
                "SECRET_JWT_SIGNING_KEY", KEY,
                "RATE_dash_LIMIT_POLICIES_IP_CAPACITY", "1000000",
                "RATE_dash_LIMIT_POLICIES_USER_PER_dash_TIER_ENTERPRISE", "1000000",
                "RATE_dash_LIMIT_POLICIES_USER_PER_dash_TIER_BASIC", "5",
                "SERVER_IDLE_dash_CONNECTION_dash_TIMEOUT", IDLE.toString(),
                "SERVER_IDLE_dash_CONNECTION_dash_PERIOD", "PT1S",
                "LOGGING_LEVEL_ROOT", "WARN",
                "SERVICE_ACCESS_dash_LOG_ENABLED", "false"));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aWellBehavedClientIsServedWhileOthersAbuseTheService() throws Exception {
        HttpTestClient client = HttpTestClient.create(service.port());
        RawHttp raw = RawHttp.create(service.port(), Duration.ofSeconds(10));
        long rssBefore = service.residentBytes();
        List<Socket> idle = new ArrayList<>();
        List<Thread> drips = new ArrayList<>();
        ConcurrentLinkedQueue<String> dripOutcomes = new ConcurrentLinkedQueue<>();
        try (Load good = Load.start(2, Duration.ofMillis(2), (worker, n) -> {
            Response response = client.get("/api/v1/blueprints?limit=5", "Authorization", GOOD);
            assertThat(response.body(), response.status(), is(200));
            return 200;
        })) {
            Thread.sleep(3000);
            long abuseStart = System.nanoTime();
            // slow clients: the request line, header lines or a body a little at a time
            for (String kind : List.of("request-line", "headers", "body")) {
                for (int i = 0; i < 5; i++) {
                    drips.add(Thread.ofVirtual().start(() -> dripOutcomes.add(drip(kind))));
                }
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port());
                socket.setSoTimeout((int) IDLE.multipliedBy(10).toMillis());
                idle.add(socket);
            }
            AtomicLong oversized = new AtomicLong();
            AtomicLong forged = new AtomicLong();
            AtomicLong limited = new AtomicLong();
            for (int i = 0; i < 200; i++) {
                RawHttp.Answer big = raw.send("GET /api/v1/blueprints HTTP/1.1",
                                              List.of("Authorization: " + GOOD, "X-Filler: " + "a".repeat(20_000)), "");
                assertThat(big.status(), is(431));
                assertThat(big.header("Content-Type").orElse(""), startsWith("application/problem+json"));
                assertNoInternals(big.body());
                oversized.incrementAndGet();
                String token = i % 2 == 0 ? TOKENS.wrongKey("forger-" + i) : Tokens.garbage().get(i % Tokens.garbage().size());
                Response refused = client.get("/api/v1/blueprints", "Authorization", "Bearer " + token);
                assertThat(refused.body(), refused.status(), is(401));
                assertThat(refused.header("Content-Type").orElse(""), startsWith("application/problem+json"));
                forged.incrementAndGet();
                Response greedy = client.get("/api/v1/blueprints?limit=1", "Authorization", GREEDY);
                if (i >= 5) {
                    assertThat(greedy.body(), greedy.status(), is(429));
                    assertThat(greedy.header("Retry-After").isPresent(), is(true));
                    limited.incrementAndGet();
                }
            }
            long rssDuring = service.residentBytes();
            // every idle connection is closed by the server (read returns end of stream) once it has been idle long enough
            int closedByServer = 0;
            for (Socket socket : idle) {
                try (socket) {
                    if (socket.getInputStream().read() == -1) {
                        closedByServer++;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // counted as not closed
                } catch (IOException reset) {
                    closedByServer++;
                }
            }
            for (Thread drip : drips) {
                drip.join(Duration.ofSeconds(60));
            }
            long abuseEnd = System.nanoTime();
            Thread.sleep(2000);
            good.stop();
            long rssAfter = service.residentBytes();

            assertThat("well-behaved requests that failed: " + good.failures(), good.count(s -> s != 200), is(0L));
            assertThat("idle connections closed by the server", closedByServer, is(CONNECTIONS));
            assertThat("slow request lines are cut off: " + dripOutcomes,
                       dripOutcomes.stream().filter(o -> o.startsWith("request-line cut")).count(), is(5L));
            System.out.printf("FIGURE abuse | %d idle connections, 15 slow clients, %d oversized headers, %d forged tokens,"
                                      + " %d over the limit | well-behaved: %d requests, %.0f req/s, failed 0, p99 before"
                                      + " %.1f ms, during %.1f ms | RSS before %d MiB, during %d MiB, after %d MiB |"
                                      + " idle closed %d/%d | drips: %s%n",
                              CONNECTIONS, oversized.get(), forged.get(), limited.get(), good.sent(), good.rate(),
                              millis(good.latency(Long.MIN_VALUE, abuseStart, 99)), millis(good.latency(abuseStart, abuseEnd, 99)),
                              rssBefore >> 20, rssDuring >> 20, rssAfter >> 20, closedByServer, CONNECTIONS,
                              dripOutcomes);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    /**
     * Send a request slowly, one piece a second for at most 30 s; the outcome says whether and when the server cut it.
     */
    private static String drip(String kind) {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(1000);
            byte[] head = ("POST /api/v1/blueprints HTTP/1.1\r\nHost: x\r\nAuthorization: " + GOOD
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n").getBytes(StandardCharsets.US_ASCII);
            if (kind.equals("headers")) {
                out.write(head, 0, head.length - 2);
            } else if (kind.equals("body")) {
                out.write(head);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            for (int i = 0; System.nanoTime() - start < Duration.ofSeconds(30).toNanos(); i++) {
                byte[] piece = switch (kind) {
                    case "request-line" -> new byte[] {head[i % 20]};
                    case "headers" -> ("\r\nX-Drip-" + i + ": x").getBytes(StandardCharsets.US_ASCII);
                    default -> new byte[] {' '};
                };
                out.write(piece);
                out.flush();
                try {
                    if (in.read() == -1) {
                        return kind + " cut after " + seconds(start) + " s (closed)";
                    }
                    return kind + " answered after " + seconds(start) + " s";
                } catch (SocketTimeoutException nothingYet) {
                    // still open: send the next piece
                }
            }
            return kind + " not cut in 30 s";
        } catch (IOException e) {
            return kind + " cut after " + seconds(start) + " s (" + e.getClass().getSimpleName() + ")";
        } catch (UncheckedIOException e) {
            return kind + " failed: " + e.getMessage();
        }
    }

    private static long seconds(long start) {
        return (System.nanoTime() - start) / 1_000_000_000;
    }

    private static double millis(Optional<Duration> latency) {
        return latency.map(d -> d.toNanos() / 1e6).orElse(-1.0);
    }
}
