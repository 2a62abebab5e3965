package io.dharma.security;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.testing.HttpTestClient;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code security.enabled: false} turns authentication off; {@code security.headers.enabled: false} turns the headers
 * off; nothing else changes.
 */
@ServerTest
class DisabledSecurityTest {
    private final HttpTestClient client;

    DisabledSecurityTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        SecurityConfig config = SecurityConfig.create(Fixtures.config(Map.of("enabled", "false",
                                                                             "headers.enabled", "false")).get(""), "off");
        routing.addFilter(Security.headersFilter(config.headers()))
                .addFilter(Security.corsFilter(config.cors()))
                .addFilter(Security.authenticationFilter(config, KeySource.of(List.of())))
                .error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()))
                .get("/api/things", Fixtures::describe);
    }

    @Test
    void everythingPassesWithoutHeaders() {
        HttpTestClient.Response res = Fixtures.get(client, "/api/things", "garbage");
        assertThat(res.status(), is(200));
        assertThat(res.body(), is("anonymous|-"));
        assertThat(res.header("Content-Security-Policy"), is(Optional.empty()));
        assertThat(res.header("Cache-Control"), is(Optional.empty()));
        assertThat(client.get("/nowhere").status(), is(404));
    }
}
