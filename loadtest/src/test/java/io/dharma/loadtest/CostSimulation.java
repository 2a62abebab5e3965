package io.dharma.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * cost-service route by route, each scenario {@code routeRate} new users per second during {@code duration} seconds,
 * one request each, at the same time: {@code estimate} (200 with a total), {@code 400 invalid estimate} (a resource
 * without a size: a problem naming the field), {@code 401 bad token} (signed with another key). And the 429 check: one
 * user of tier {@code limitTier} estimates until the user policy answers 429 (at most {@code limitProbes} requests,
 * named {@code within limit}), then {@code 429 over limit} must be a 429 with {@code Retry-After} and the
 * {@code RateLimit} headers. Assertions per request name: 99th percentile at most {@code p99Ms}, at most
 * {@code koPercent} % failed.
 * <p>
 * System properties (defaults in brackets): {@code baseUrl} [http://localhost:8081], {@code routeRate} [10],
 * {@code duration} [20], {@code p99Ms} [50], {@code koPercent} [0], {@code limitTier} [basic], {@code limitProbes}
 * [2000], and the token properties of {@link SimulationSupport}.
 */
public class CostSimulation extends Simulation {
    private static final String BASE_URL = SimulationSupport.property("baseUrl", "http://localhost:8081");
    private static final double RATE = SimulationSupport.number("routeRate", 10);
    private static final Duration DURATION = Duration.ofSeconds((long) SimulationSupport.number("duration", 20));
    private static final double P99_MS = SimulationSupport.number("p99Ms", 50);
    private static final double KO_PERCENT = SimulationSupport.number("koPercent", 0);
    private static final String LIMIT_TIER = SimulationSupport.property("limitTier", "basic");
    private static final int LIMIT_PROBES = (int) SimulationSupport.number("limitProbes", 2000);
    private static final String PATH = "/api/v1/costs/estimate";
    private static final String ESTIMATE = """
            {"resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1","cloud":"aws"},\
            {"type":"bucket","size":"small","count":1,"region":"eu-west-1","cloud":"aws"}]}""";

    {
        SimulationSupport.requireTokens();
        String token = SimulationSupport.token("load-estimator");
        String foreign = SimulationSupport.foreignToken("load-estimator");
        List<ScenarioBuilder> routes = List.of(
                scenario("estimate").exec(session -> session.set("token", token))
                        .exec(estimate("estimate").check(status().is(200), jsonPath("$.monthlyTotal").exists())),
                scenario("400").exec(session -> session.set("token", token))
                        .exec(http("400 invalid estimate").post(PATH)
                                      .body(StringBody("{\"resources\":[{\"type\":\"vm\",\"count\":1,\"region\":\"eu-west-1\","
                                                               + "\"cloud\":\"aws\"}]}"))
                                      .check(status().is(400), header("Content-Type").is("application/problem+json"))),
                scenario("401").exec(session -> session.set("token", foreign))
                        .exec(estimate("401 bad token").check(status().is(401), header("WWW-Authenticate").exists())));
        List<PopulationBuilder> load = new ArrayList<>();
        for (ScenarioBuilder route : routes) {
            load.add(route.injectOpen(constantUsersPerSec(RATE).during(DURATION)));
        }
        load.add(scenario("429")
                         .exec(session -> session.set("token", SimulationSupport.tierToken("load-limit-" + UUID.randomUUID(),
                                                                                           LIMIT_TIER)))
                         .exec(SimulationSupport.exceedLimit(CostSimulation::estimate, 200, LIMIT_PROBES))
                         .injectOpen(atOnceUsers(1)));
        List<Assertion> assertions = new ArrayList<>(SimulationSupport.perRequest(
                P99_MS, KO_PERCENT, "estimate", "400 invalid estimate", "401 bad token"));
        assertions.addAll(SimulationSupport.limitAssertions());
        setUp(load)
                .protocols(SimulationSupport.protocol(BASE_URL))
                .maxDuration(DURATION.plusSeconds(120))
                .assertions(assertions);
    }

    private static HttpRequestActionBuilder estimate(String name) {
        return http(name).post(PATH).body(StringBody(ESTIMATE));
    }
}
