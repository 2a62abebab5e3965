#set( $h = '#' )
#set( $d = '$' )
package ${package}.loadtest;

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
 * The ${resourceName} API's requests, named as the simulations report them, and seed ${resourcePlural} for read-only users: a seed
 * scenario creates them as one reader subject, and {@link #pickSeed()} puts one (id, ETag, the reader's token) into a
 * session.
 */
final class ${resourceClass}Requests {
    static final String PATH = "/api/v1/${resourcePlural}";
    static final String BODY = "{\"name\": \"${h}{name}\", \"description\": \"%s\"}";
    private static final String READER = "load-reader";

    private final List<String[]> seeds = new CopyOnWriteArrayList<>();

    /** The name of a new ${resourceName} into the session. */
    static ChainBuilder newResource() {
        return exec(session -> session.set("name", "load-" + UUID.randomUUID()));
    }

    static HttpRequestActionBuilder create() {
        return http("create").post(PATH)
                .body(StringBody(BODY.formatted("load test")))
                .check(status().is(201), jsonPath("${d}.id").saveAs("id"), header("ETag").saveAs("etag"));
    }

    static HttpRequestActionBuilder get() {
        return http("get").get(PATH + "/${h}{id}")
                .check(status().is(200), header("ETag").is(session -> session.getString("etag")));
    }

    static HttpRequestActionBuilder getNotModified() {
        return http("get 304").get(PATH + "/${h}{id}").header("If-None-Match", "${h}{etag}").check(status().is(304));
    }

    static HttpRequestActionBuilder list() {
        return http("list").get(PATH).queryParam("limit", "10")
                .check(status().is(200), jsonPath("${d}.data").exists());
    }

    static HttpRequestActionBuilder update() {
        return http("update").put(PATH + "/${h}{id}").header("If-Match", "${h}{etag}")
                .body(StringBody(BODY.formatted("replaced")))
                .check(status().is(200), header("ETag").saveAs("etag"));
    }

    /** One user creating {@code count} ${resourcePlural} as the reader subject. */
    ScenarioBuilder seed(int count) {
        return scenario("seed")
                .exec(session -> session.set("token", SimulationSupport.token(READER)))
                .repeat(count).on(newResource().exec(create()).exec(session -> {
                    seeds.add(new String[] {session.getString("id"), session.getString("etag")});
                    return session;
                }));
    }

    /** A random seed ${resourceName} with the reader's token into the session. */
    ChainBuilder pickSeed() {
        String token = SimulationSupport.token(READER);
        return exec(session -> {
            String[] seed = seeds.get(ThreadLocalRandom.current().nextInt(seeds.size()));
            return session.set("id", seed[0]).set("etag", seed[1]).set("token", token);
        });
    }
}
