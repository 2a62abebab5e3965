package io.dharma.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The blueprint API's read/write mix in the open model: every second {@code rate} new users arrive, each creates a
 * blueprint, reads it (plain and conditional), lists the first keyset page of its blueprints and follows its
 * {@code nextCursor} once, lists its active blueprints ({@code reads} times, default once), replaces the blueprint with
 * {@code If-Match}, and one in ten deletes it: 7 to 9 requests per user with one read round. Each user acts as one of
 * {@code owners} subjects ({@code load-0} ...).
 * <p>
 * System properties (defaults in brackets): {@code baseUrl} [http://localhost:8080], {@code rate} new users per
 * second [20], {@code duration} seconds of arrivals [30], {@code p99Ms} the 99th-percentile budget in milliseconds,
 * globally and per request name [500], {@code owners} distinct subjects [20], {@code reads} rounds of reads per user
 * [1], and the token properties of {@link SimulationSupport}.
 * <p>
 * Assertions: no failed request, and the 99th percentiles under {@code p99Ms}. The service's default rate limits
 * (100 requests per 15 minutes per IP) stop a load test from one machine within a second: start the service with higher
 * capacities, e.g. {@code RATE_dash_LIMIT_POLICIES_IP_CAPACITY=100000000 RATE_dash_LIMIT_POLICIES_USER_CAPACITY=100000000}.
 */
public class BlueprintSimulation extends Simulation {
    private static final String BASE_URL = SimulationSupport.property("baseUrl", "http://localhost:8080");
    private static final double RATE = SimulationSupport.number("rate", 20);
    private static final int DURATION = (int) SimulationSupport.number("duration", 30);
    private static final double P99_MS = SimulationSupport.number("p99Ms", 500);
    private static final int OWNERS = (int) SimulationSupport.number("owners", 20);
    private static final int READS = (int) SimulationSupport.number("reads", 1);
    private static final String PATH = Blueprints.PATH;

    /** One owner (token subject) per user; few owners, so their lists have several pages. */
    private static final Iterator<Map<String, Object>> USERS = Stream.generate(() -> {
        String owner = "load-" + ThreadLocalRandom.current().nextInt(OWNERS);
        return Map.<String, Object>of("owner", owner, "token", SimulationSupport.token(owner));
    }).iterator();

    private static final ChainBuilder LIST = exec(session -> session.remove("cursor")).exec(
            http("list first page").get(PATH)
                    .queryParam("limit", "5")
                    .check(status().is(200),
                           jsonPath("$.data[0].id").exists(),
                           jsonPath("$.page.nextCursor").optional().saveAs("cursor")),
            doIf(session -> session.contains("cursor")).then(
                    exec(http("list next page").get(PATH)
                                 .queryParam("limit", "5")
                                 .queryParam("cursor", "#{cursor}")
                                 .check(status().is(200), jsonPath("$.data[0].id").exists()))),
            http("list active").get(PATH)
                    .queryParam("status", "active")
                    .queryParam("limit", "10")
                    .check(status().is(200)));

    private static final ChainBuilder MAYBE_DELETE = randomSwitch().on(
            percent(10.0).then(exec(http("delete").delete(PATH + "/#{id}").check(status().is(204)))));

    private static final ScenarioBuilder BLUEPRINTS = scenario("blueprints")
            .feed(USERS)
            .exec(Blueprints.newBlueprint(), exec(Blueprints.create()))
            .repeat(READS).on(exec(Blueprints.get(), Blueprints.getNotModified()).exec(LIST))
            .exec(Blueprints.update(), MAYBE_DELETE);

    {
        SimulationSupport.requireTokens();
        List<Assertion> assertions = new ArrayList<>(SimulationSupport.perRequest(
                P99_MS, 0, "create", "get", "get 304", "list first page", "list active", "update"));
        assertions.add(global().failedRequests().percent().is(0.0));
        assertions.add(global().responseTime().percentile(99.0).lt((int) P99_MS));
        setUp(BLUEPRINTS.injectOpen(constantUsersPerSec(RATE).during(Duration.ofSeconds(DURATION))))
                .protocols(SimulationSupport.protocol(BASE_URL))
                // bounded even if the service stalls: arrivals stop after `duration`, stragglers get one more minute
                .maxDuration(Duration.ofSeconds(DURATION + 60L))
                .assertions(assertions);
    }
}
