package io.dharma.bench.ratelimit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request loop for bench/ratelimit/http.sh and bench/openapi/http.sh: args URL token [threads=16] [seconds=10]
 * [warmup-seconds=3] [json-body-file]. GETs the URL, or POSTs the file's JSON to it when one is given. Prints one line:
 * requests/s, p50 and p99 in ms, and the count of answers that are not 2xx (after the warm-up).
 */
public final class HttpBench {
    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String token = args[1];
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
        HttpRequest request = args.length > 5
                ? builder.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Files.readString(Path.of(args[5])))).build()
                : builder.GET().build();
        long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        LongAdder errors = new LongAdder();
        long[][] lat = new long[threads][];
        int[] counts = new int[threads];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = Thread.ofVirtual().start(() -> {
                long[] l = new long[1 << 14];
                int n = 0;
                while (true) {
                    long start = System.nanoTime();
                    if (start - end >= 0) {
                        break;
                    }
                    int status;
                    try {
                        status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    long stop = System.nanoTime();
                    if (start - warmEnd >= 0) {
                        if (status / 100 != 2) {
                            errors.increment();
                        }
                        if (n == l.length) {
                            l = Arrays.copyOf(l, n * 2);
                        }
                        l[n++] = stop - start;
                    }
                }
                lat[id] = l;
                counts[id] = n;
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(lat[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "%.0f %.2f %.2f %d%n", total / (double) seconds,
                          total == 0 ? 0 : all[total / 2] / 1e6, total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6,
                          errors.sum());
    }
}
