package io.dharma.loadtest;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The blueprint API's requests, named as the simulations report them, and seed blueprints for read-only users: a seed
 * scenario creates them as one reader subject, and {@link #pickSeed()} puts one (id, ETag, the reader's token) into a
 * session.
 */
final class Blueprints {
    static final String PATH = "/api/v1/blueprints";
    static final String BODY = """
            {"name":"#{name}","description":"created by the load test","targetCloud":"#{cloud}",\
            "status":"%s","resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1"},\
            {"type":"bucket","size":"standard","count":1,"region":"eu-west-1"}]}""";
    private static final String[] CLOUDS = {"aws", "azure", "gcp"};
    private static final String READER = "load-reader";

    private final List<String[]> seeds = new CopyOnWriteArrayList<>();

    /** Name and cloud of a new blueprint into the session. */
    static ChainBuilder newBlueprint() {
        return exec(session -> session.set("name", "bp-" + UUID.randomUUID())
                .set("cloud", CLOUDS[ThreadLocalRandom.current().nextInt(CLOUDS.length)]));
    }

    static HttpRequestActionBuilder create() {
        return http("create").post(PATH)
                .body(StringBody(BODY.formatted("draft")))
                .check(status().is(201), jsonPath("$.id").saveAs("id"), header("ETag").saveAs("etag"));
    }

    static HttpRequestActionBuilder get() {
        return http("get").get(PATH + "/#{id}")
                .check(status().is(200), header("ETag").is(session -> session.getString("etag")));
    }

    static HttpRequestActionBuilder getNotModified() {
        return http("get 304").get(PATH + "/#{id}").header("If-None-Match", "#{etag}").check(status().is(304));
    }

    static HttpRequestActionBuilder list() {
        return http("list").get(PATH).queryParam("limit", "10")
                .check(status().is(200), jsonPath("$.data[0].id").exists());
    }

    static HttpRequestActionBuilder update() {
        return http("update").put(PATH + "/#{id}").header("If-Match", "#{etag}")
                .body(StringBody(BODY.formatted("active")))
                .check(status().is(200), header("ETag").saveAs("etag"));
    }

    /** One user creating {@code count} blueprints as the reader subject. */
    ScenarioBuilder seed(int count) {
        return scenario("seed")
                .exec(session -> session.set("token", SimulationSupport.token(READER)))
                .repeat(count).on(newBlueprint().exec(create()).exec(session -> {
                    seeds.add(new String[] {session.getString("id"), session.getString("etag")});
                    return session;
                }));
    }

    /** A random seed blueprint with the reader's token into the session. */
    ChainBuilder pickSeed() {
        String token = SimulationSupport.token(READER);
        return exec(session -> {
            String[] seed = seeds.get(ThreadLocalRandom.current().nextInt(seeds.size()));
            return session.set("id", seed[0]).set("etag", seed[1]).set("token", token);
        });
    }
}
