package io.dharma.services.blueprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Meters;
import io.dharma.testing.PostgresSchema;
import io.dharma.testing.RequiresServices;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.dharma.testing.RequiresServices.Service.POSTGRES;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Two blueprint-service instances (separate servers, Redis clients and caches) on one PostgreSQL schema and one Redis:
 * a write acknowledged by one is not served stale by the other once the invalidation has arrived (the window is
 * measured and printed), list pages are invalidated on both, a 304 is answered from the cache, and with Redis stopped
 * every request is still answered.
 */
@RequiresServices({POSTGRES, REDIS_BINARIES})
class SharedCacheIT {
    @RegisterExtension
    static final PostgresSchema POSTGRES = PostgresSchema.create();
    private static final String KEY = Tokens.randomSecret();
    private static final String OWNER = "Bearer " + Tokens.hmac(KEY).valid("cache-owner", List.of(), "enterprise");
    private static TwoInstances pair;
    private static HttpTestClient a;
    private static HttpTestClient b;

    @BeforeAll
    static void start() {
        Map<String, String> config = new HashMap<>(POSTGRES.dbConfig());
        config.put("security.jwt.hmac-secret", KEY);
        pair = TwoInstances.start(config, List.of());
        a = pair.a;
        b = pair.b;
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void aWriteOnOneInstanceIsNotServedStaleByTheOther() {
        JsonObject created = create(a, "shared-" + System.nanoTime());
        String path = "/api/v1/blueprints/" + created.getString("id");
        assertThat(get(b, path).getInt("version"), is(1));   // now in B's L1 and in Redis

        Response replaced = a.json("PUT", path, body(created.getString("name") + "-v2"), "Authorization", OWNER,
                                   "If-Match", "\"1\"");
        assertThat(replaced.body(), replaced.status(), is(200));
        long acknowledged = System.nanoTime();
        int staleReads = 0;
        while (get(b, path).getInt("version") == 1) {
            staleReads++;
            assertThat("B still serves version 1 after 5 s", System.nanoTime() - acknowledged < 5_000_000_000L, is(true));
        }
        long windowMicros = (System.nanoTime() - acknowledged) / 1000;
        System.out.println("stale window on B after A's acknowledged write: " + windowMicros + " us, " + staleReads
                                   + " stale reads");
        for (int i = 0; i < 50; i++) {
            assertThat("once the invalidation has arrived, B never goes back", get(b, path).getInt("version"), is(2));
        }
    }

    @Test
    void listPagesAreInvalidatedOnBothInstances() {
        String marker = "paged-" + System.nanoTime();
        create(a, marker + "-1");
        assertThat(list(a), containsString(marker + "-1"));
        assertThat(list(b), containsString(marker + "-1"));
        create(b, marker + "-2");
        assertThat("A's cached page is gone", list(a), containsString(marker + "-2"));
        assertThat(list(b), containsString(marker + "-2"));
    }

    @Test
    void aConditionalGetIsAnsweredFromTheCache() {
        JsonObject created = create(a, "etag-" + System.nanoTime());
        String path = "/api/v1/blueprints/" + created.getString("id");
        get(b, path);
        double loads = counter("cache.loads");
        Response notModified = b.get(path, "Authorization", OWNER, "If-None-Match", "\"1\"");
        assertThat(notModified.status(), is(304));
        assertThat(notModified.header("Cache-Control").orElse(""), is("private, no-cache"));
        assertThat(notModified.header("Vary").orElse(""), is("Authorization"));
        assertThat("no load, so no database query", counter("cache.loads"), is(loads));
        assertThat("errors stay uncacheable", a.get(path + "x", "Authorization", OWNER).header("Cache-Control").orElse(""),
                   is("no-store"));
    }

    @Test
    void requestsAreAnsweredWhileRedisIsDown() {
        JsonObject created = create(a, "redis-down-" + System.nanoTime());
        String path = "/api/v1/blueprints/" + created.getString("id");
        pair.server().stop();
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                statuses.add(a.get(path, "Authorization", OWNER).status());
                statuses.add(b.get(path, "Authorization", OWNER).status());
            }
            statuses.add(create(b, "while-down-" + System.nanoTime()).isEmpty() ? 0 : 201);
            assertThat(statuses.stream().allMatch(s -> s == 200 || s == 201), is(true));
            Response ready = HttpTestClient.create(pair.first.managementPort()).get("/health/ready");
            assertThat(ready.body(), ready.status(), is(200));
            assertThat(ready.body(), containsString("degraded"));
        } finally {
            pair.server().restart();
        }
    }

    private static JsonObject create(HttpTestClient client, String name) {
        Response created = client.json("POST", "/api/v1/blueprints", body(name), "Authorization", OWNER);
        assertThat(created.body(), created.status(), is(201));
        return created.json();
    }

    private static String body(String name) {
        return """
                {"name": "%s", "targetCloud": "aws", "resources": [{"type": "vm", "size": "small", "count": 1,
                 "region": "us-east-1"}]}""".formatted(name);
    }

    private static JsonObject get(HttpTestClient client, String path) {
        Response response = client.get(path, "Authorization", OWNER);
        assertThat(response.body(), response.status(), is(200));
        return response.json();
    }

    private static String list(HttpTestClient client) {
        Response response = client.get("/api/v1/blueprints?limit=100", "Authorization", OWNER);
        assertThat(response.body(), response.status(), is(200));
        return response.body();
    }

    private static double counter(String name) {
        return Meters.counter(name, "cache", CachedBlueprintRepository.BLUEPRINTS, "result", "success")
                + Meters.counter(name, "cache", CachedBlueprintRepository.BLUEPRINTS, "result", "failure");
    }
}
