#set( $h = '#' )
#set( $d = '$' )
package ${package}.loadtest;

import java.time.Duration;
import java.util.UUID;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The whole life of a ${resourceName} per virtual user: create, get, conditional get (304), list a page, replace
 * (If-Match) and delete, against a running ${artifactId}.
 * <p>
 * System properties: {@code baseUrl} (default {@code http://localhost:${servicePort}}), {@code rate} (new users per
 * second, default 20), {@code duration} (seconds, default 30), {@code p95} (95th-percentile limit in ms, default 250)
 * and {@code maxFailedPercent} (default 1). The assertions fail the run when a limit is broken.
 * <p>
 * Every request carries a bearer token: {@code token} (one token for every user, e.g. from your identity provider),
 * or else an HS256 token per virtual user, each of its own subject; see {@link SimulationSupport}. Route by route:
 * {@link ${resourceClass}RoutesSimulation}; the read mix at a target rate: {@link ${resourceClass}ReadMixSimulation}.
 */
public class ${resourceClass}Simulation extends Simulation {
    private static final String PATH = "/api/v1/${resourcePlural}";
    private static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:${servicePort}");
    private static final double RATE = Double.parseDouble(System.getProperty("rate", "20"));
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("duration", 30));
    private static final int P95_MS = Integer.getInteger("p95", 250);
    private static final double MAX_FAILED_PERCENT = Double.parseDouble(System.getProperty("maxFailedPercent", "1"));

    private final ScenarioBuilder lifecycle = scenario("${resourceName} lifecycle")
            .exec(session -> session.set("name", "load-" + UUID.randomUUID())
                    .set("token", SimulationSupport.token("load-user-" + UUID.randomUUID())))
            .exec(http("create").post(PATH)
                          .body(StringBody("{\"name\": \"${h}{name}\", \"description\": \"load test\"}"))
                          .check(status().is(201), header("Location").saveAs("location"), header("ETag").saveAs("etag")))
            .exitHereIfFailed()
            .exec(http("get").get("${h}{location}").check(status().is(200)))
            .exec(http("get not modified").get("${h}{location}").header("If-None-Match", "${h}{etag}")
                          .check(status().is(304)))
            .exec(http("list").get(PATH + "?limit=20").check(status().is(200), jsonPath("${d}.data").exists()))
            .exec(http("replace").put("${h}{location}").header("If-Match", "${h}{etag}")
                          .body(StringBody("{\"name\": \"${h}{name}\", \"description\": \"replaced\"}"))
                          .check(status().is(200)))
            .exec(http("delete").delete("${h}{location}").check(status().is(204)));

    {
        SimulationSupport.requireTokens();
        setUp(lifecycle.injectOpen(constantUsersPerSec(RATE).during(DURATION)))
                .protocols(SimulationSupport.protocol(BASE_URL))
                .assertions(global().failedRequests().percent().lte(MAX_FAILED_PERCENT),
                            global().responseTime().percentile(95.0).lt(P95_MS));
    }
}
