package io.dharma.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;

import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import org.slf4j.MDC;

/**
 * Shared test helpers: config from key/value pairs, requests with a bearer token, raw socket requests, a handler that
 * describes the principal, a settable clock.
 */
final class Fixtures {
    private Fixtures() {
    }

    static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    static HttpTestClient.Response get(HttpTestClient client, String path, String token) {
        return client.send(client.request(path).header("Authorization", "Bearer " + token).GET().build());
    }

    static HttpTestClient.Response send(HttpTestClient client, String method, String path, String... headers) {
        HttpRequest.Builder request = client.request(path).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    /** Describes the request's principal and the MDC subject: {@code subject|roles|tier|mdc}. */
    static void describe(ServerRequest req, ServerResponse res) {
        String principal = Principal.current(req.context())
                .map(p -> p.subject() + "|" + new TreeSet<>(p.roles()) + "|" + p.tier())
                .orElse("anonymous");
        String mdc = MDC.get("userId");
        res.send(principal + "|" + (mdc == null ? "-" : mdc));
    }

    /** Sends bytes as they are (no client normalises the path) and returns what arrived within a second. */
    static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    response.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException ignored) {
                // the server keeps the connection open; what arrived is the answer
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    static void configureLogging() {
        Logging.configure(Config.empty(), "security-test", "test");
    }
}
