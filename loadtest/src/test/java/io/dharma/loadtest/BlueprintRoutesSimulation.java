package io.dharma.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * blueprint-service route by route: after a seed step (blueprints of one reader), every route gets its own scenario,
 * {@code routeRate} new users per second during {@code duration} seconds, one request each (update and delete create
 * their blueprint first), all at the same time. Each request name has its own assertions: 99th percentile at most
 * {@code p99Ms} and at most {@code koPercent} % failed.
 * <ul>
 *     <li>{@code create}, {@code get}, {@code get 304} ({@code If-None-Match}), {@code list}, {@code update}
 *         ({@code If-Match}), {@code delete};</li>
 *     <li>{@code 401 bad token} (a token signed with another key; {@code WWW-Authenticate} required),
 *         {@code 404 unknown id} (a problem);</li>
 *     <li>the 429 check: one user of tier {@code limitTier} (its own subject) reads until the user policy answers 429
 *         (at most {@code limitProbes} requests, named {@code within limit}), then {@code 429 over limit} must be a 429
 *         with {@code Retry-After} and the {@code RateLimit} headers. In the shipped configuration a {@code basic}
 *         subject may make 1,000 requests an hour.</li>
 * </ul>
 * System properties (defaults in brackets): {@code baseUrl} [http://localhost:8080], {@code routeRate} [10],
 * {@code duration} [20], {@code p99Ms} [50], {@code koPercent} [0], {@code seeds} [20], {@code limitTier} [basic],
 * {@code limitProbes} [2000], and the token properties of {@link SimulationSupport}. The service must run with IP and
 * user capacities one machine cannot use up (see the README's load-test section); the tier capacities stay.
 */
public class BlueprintRoutesSimulation extends Simulation {
    private static final String BASE_URL = SimulationSupport.property("baseUrl", "http://localhost:8080");
    private static final double RATE = SimulationSupport.number("routeRate", 10);
    private static final Duration DURATION = Duration.ofSeconds((long) SimulationSupport.number("duration", 20));
    private static final double P99_MS = SimulationSupport.number("p99Ms", 50);
    private static final double KO_PERCENT = SimulationSupport.number("koPercent", 0);
    private static final int SEEDS = (int) SimulationSupport.number("seeds", 20);
    private static final String LIMIT_TIER = SimulationSupport.property("limitTier", "basic");
    private static final int LIMIT_PROBES = (int) SimulationSupport.number("limitProbes", 2000);

    private final Blueprints blueprints = new Blueprints();

    {
        SimulationSupport.requireTokens();
        String writer = SimulationSupport.token("load-writer");
        String foreign = SimulationSupport.foreignToken("load-reader");
        List<ScenarioBuilder> routes = List.of(
                scenario("create").exec(session -> session.set("token", writer))
                        .exec(Blueprints.newBlueprint(), exec(Blueprints.create())),
                scenario("get").exec(blueprints.pickSeed()).exec(Blueprints.get()),
                scenario("get 304").exec(blueprints.pickSeed()).exec(Blueprints.getNotModified()),
                scenario("list").exec(blueprints.pickSeed()).exec(Blueprints.list()),
                scenario("update").exec(session -> session.set("token", writer))
                        .exec(Blueprints.newBlueprint(), exec(Blueprints.create()))
                        .exitHereIfFailed()
                        .exec(Blueprints.update()),
                scenario("delete").exec(session -> session.set("token", writer))
                        .exec(Blueprints.newBlueprint(), exec(Blueprints.create()))
                        .exitHereIfFailed()
                        .exec(http("delete").delete(Blueprints.PATH + "/#{id}").check(status().is(204))),
                scenario("401").exec(blueprints.pickSeed()).exec(session -> session.set("token", foreign))
                        .exec(http("401 bad token").get(Blueprints.PATH + "/#{id}")
                                      .check(status().is(401), header("WWW-Authenticate").exists())),
                scenario("404").exec(blueprints.pickSeed())
                        .exec(http("404 unknown id").get(Blueprints.PATH + "/" + UUID.randomUUID())
                                      .check(status().is(404), header("Content-Type").is("application/problem+json"))));
        List<PopulationBuilder> load = new ArrayList<>();
        for (ScenarioBuilder route : routes) {
            load.add(route.injectOpen(constantUsersPerSec(RATE).during(DURATION)));
        }
        ScenarioBuilder limit = scenario("429")
                .exec(blueprints.pickSeed())
                .exec(session -> session.set("token", SimulationSupport.tierToken("load-limit-" + UUID.randomUUID(),
                                                                                  LIMIT_TIER)))
                .exec(SimulationSupport.exceedLimit(name -> http(name).get(Blueprints.PATH + "/" + UUID.randomUUID()),
                                                    404, LIMIT_PROBES));
        load.add(limit.injectOpen(atOnceUsers(1)));

        List<Assertion> assertions = new ArrayList<>(SimulationSupport.perRequest(
                P99_MS, KO_PERCENT, "create", "get", "get 304", "list", "update", "delete", "401 bad token", "404 unknown id"));
        assertions.addAll(SimulationSupport.limitAssertions());
        setUp(blueprints.seed(SEEDS).injectOpen(atOnceUsers(1)).andThen(load))
                .protocols(SimulationSupport.protocol(BASE_URL))
                .maxDuration(DURATION.plusSeconds(120))
                .assertions(assertions);
    }
}
