package io.dharma.cache;

import java.net.http.HttpRequest;
import java.util.Map;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Caching headers from {@code cache.http} on the GET and HEAD answers of the listed routes only, {@code Vary} always
 * naming {@code Authorization} and keeping what an earlier filter set; rules that would let shared caches keep API
 * answers are refused at start-up.
 */
class HttpCachingTest {
    private static WebServer server;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        HttpCaching caching = HttpCaching.create(http(Map.of(
                "cache.http.0.path", "/api/things/{id}",
                "cache.http.0.vary.0", "Accept",
                "cache.http.1.path", "/api/rates",
                "cache.http.1.cache-control", "private, max-age=60")));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing
                        .addFilter((chain, req, res) -> {
                            // as CORS does: the rule's Vary must not replace it
                            if (req.headers().contains(HeaderNames.ORIGIN)) {
                                res.header(HeaderNames.VARY, "Origin, authorization");
                            }
                            chain.proceed();
                        })
                        .addFilter(caching)
                        .get("/api/things/{id}", (req, res) -> res.send("thing"))
                        .head("/api/things/{id}", (req, res) -> res.send())
                        .post("/api/things/{id}", (req, res) -> res.send("posted"))
                        .get("/api/rates", (req, res) -> res.send("rates"))
                        .get("/api/other", (req, res) -> res.send("other")))
                .build()
                .start();
        client = HttpTestClient.create(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aListedRouteGetsItsRuleOnGetAndHead() {
        Response get = client.get("/api/things/1");
        assertThat(get.header("Cache-Control").orElseThrow(), is(HttpCaching.DEFAULT_CACHE_CONTROL));
        assertThat(get.header("Vary").orElseThrow(), is("Accept, Authorization"));
        Response head = client.send(client.request("/api/things/1").method("HEAD", HttpRequest.BodyPublishers.noBody())
                                            .build());
        assertThat(head.status(), is(200));
        assertThat(head.header("Vary").orElseThrow(), is("Accept, Authorization"));
        assertThat(client.get("/api/rates").header("Cache-Control").orElseThrow(), is("private, max-age=60"));
        assertThat(client.get("/api/rates").header("Vary").orElseThrow(), is("Authorization"));
    }

    @Test
    void otherMethodsAndRoutesGetNoCachingHeaders() {
        assertThat(client.json("POST", "/api/things/1", "{}").header("Vary").isPresent(), is(false));
        assertThat(client.get("/api/other").header("Cache-Control").isPresent(), is(false));
    }

    @Test
    void anEarlierVaryIsKeptOnceEachNameAnyCase() {
        Response get = client.get("/api/things/1", "Origin", "https://app.test");
        assertThat(get.header("Vary").orElseThrow(), is("Origin, authorization, Accept"));
    }

    @Test
    void rulesThatSharedCachesCouldUseOrWithoutPathAreRefused() {
        CacheException shared = assertThrows(CacheException.class, () -> HttpCaching.create(http(Map.of(
                "cache.http.0.path", "/api/things/{id}", "cache.http.0.cache-control", "Public, max-age=60"))));
        assertThat(shared.getMessage(), containsString("'public' and 's-maxage' are refused"));
        assertThrows(CacheException.class, () -> HttpCaching.create(http(Map.of(
                "cache.http.0.path", "/api/things/{id}", "cache.http.0.cache-control", "private, s-maxage=5"))));
        CacheException pathless = assertThrows(CacheException.class, () -> HttpCaching.create(http(Map.of(
                "cache.http.0.vary.0", "Accept"))));
        assertThat(pathless.getMessage(), containsString("every rule needs a path"));
        assertThat("no rules", HttpCaching.create(Config.empty().get("cache.http")) != null, is(true));
    }

    private static Config http(Map<String, String> keys) {
        return Config.just(ConfigSources.create(keys)).get("cache.http");
    }
}
