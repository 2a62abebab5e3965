import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The training run of an image build: starts the service, waits until it is ready, calls a few routes so the AOT
 * cache holds what requests load, then stops it with SIGTERM (the JVM writes -XX:AOTCacheOutput at exit).
 *
 * <pre>java AotTraining.java READY_URL[,READY_URL...] BASE_URL STEP... -- COMMAND...</pre>
 * A STEP is {@code "GET /path"} or {@code "POST /path {json}"}; {@code {id}} in a path is the "id" of the last
 * answer. Requests carry an HS256 bearer token signed with SECRET_JWT_SIGNING_KEY when that is set. A step that
 * fails is logged, not fatal; a service that exits or never gets ready is.
 */
public final class AotTraining {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator < 2 || separator == args.length - 1) {
            throw new IllegalArgumentException("usage: AotTraining READY_URL[,...] BASE_URL STEP... -- COMMAND...");
        }
        List<String> readyUrls = List.of(args[0].split(","));
        String base = args[1];
        List<String> steps = Arrays.asList(args).subList(2, separator);
        List<String> command = Arrays.asList(args).subList(separator + 1, args.length);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Process service = new ProcessBuilder(command).inheritIO().start();
        try {
            awaitReady(client, readyUrls, service);
            String token = token();
            String id = "none";
            for (String step : steps) {
                String[] parts = step.split(" ", 3);
                String target = parts[1].replace("{id}", id);
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.startsWith("http") ? target : base + target))
                        .timeout(Duration.ofSeconds(10));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                if (parts.length > 2) {
                    request.header("Content-Type", "application/json");
                }
                request.method(parts[0], parts.length > 2 ? HttpRequest.BodyPublishers.ofString(parts[2])
                        : HttpRequest.BodyPublishers.noBody());
                try {
                    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    Matcher m = ID.matcher(response.body());
                    if (m.find()) {
                        id = m.group(1);
                    }
                    System.out.println("training: " + parts[0] + " " + target + " -> " + response.statusCode());
                } catch (IOException e) {
                    System.out.println("training: " + parts[0] + " " + target + " failed: " + e);
                }
            }
        } finally {
            service.destroy();
        }
        if (!service.waitFor(2, TimeUnit.MINUTES)) {
            service.destroyForcibly();
            throw new IllegalStateException("the service did not stop within 2 minutes of SIGTERM");
        }
        System.out.println("training: service exited with " + service.exitValue());
    }

    private static void awaitReady(HttpClient client, List<String> urls, Process service) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited with " + service.exitValue() + " before it was ready");
            }
            for (String url : urls) {
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
                    if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        System.out.println("training: ready at " + url);
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service was not ready within 3 minutes: " + urls);
    }

    private static String token() throws Exception {
        String key = System.getenv("SECRET_JWT_SIGNING_KEY");
        if (key == null || key.isBlank()) {
            return null;
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String claims = "{\"sub\":\"aot-training\",\"iat\":" + now + ",\"exp\":" + (now + 600) + "}";
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
