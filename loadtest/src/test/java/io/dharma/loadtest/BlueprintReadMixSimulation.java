package io.dharma.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * The read mix in the open model: after a seed step, {@code rps} new users per second (after a {@code ramp} from a
 * tenth of it), each making one read of a seed blueprint: 60 % {@code get}, 20 % {@code get 304}
 * ({@code If-None-Match}), 20 % {@code list}, over at most {@code connections} keep-alive connections shared between
 * users (as a client pool would; a request waits for a free one, and the wait counts in its response time).
 * Assertions, globally and per request name: 99th percentile at most {@code p99Ms}, at most {@code koPercent} % failed.
 * <p>
 * System properties (defaults in brackets): {@code baseUrl} [http://localhost:8080], {@code rps} [2000],
 * {@code ramp} [10] and {@code duration} [30] seconds, {@code p99Ms} [20], {@code koPercent} [0], {@code seeds} [50],
 * {@code connections} [64], and the token properties of {@link SimulationSupport}. The service must run with IP and
 * user capacities that the run cannot use up.
 */
public class BlueprintReadMixSimulation extends Simulation {
    private static final String BASE_URL = SimulationSupport.property("baseUrl", "http://localhost:8080");
    private static final double RPS = SimulationSupport.number("rps", 2000);
    private static final Duration RAMP = Duration.ofSeconds((long) SimulationSupport.number("ramp", 10));
    private static final Duration DURATION = Duration.ofSeconds((long) SimulationSupport.number("duration", 30));
    private static final double P99_MS = SimulationSupport.number("p99Ms", 20);
    private static final double KO_PERCENT = SimulationSupport.number("koPercent", 0);
    private static final int SEEDS = (int) SimulationSupport.number("seeds", 50);
    private static final int CONNECTIONS = (int) SimulationSupport.number("connections", 64);

    private final Blueprints blueprints = new Blueprints();

    {
        SimulationSupport.requireTokens();
        ScenarioBuilder reads = scenario("read mix").exec(blueprints.pickSeed()).exec(randomSwitch().on(
                percent(60.0).then(exec(Blueprints.get())),
                percent(20.0).then(exec(Blueprints.getNotModified())),
                percent(20.0).then(exec(Blueprints.list()))));
        List<Assertion> assertions = new ArrayList<>(SimulationSupport.perRequest(P99_MS, KO_PERCENT, "get", "get 304", "list"));
        assertions.add(global().responseTime().percentile(99.0).lte((int) P99_MS));
        assertions.add(global().failedRequests().percent().lte(KO_PERCENT));
        setUp(blueprints.seed(SEEDS).injectOpen(atOnceUsers(1))
                      .andThen(reads.injectOpen(rampUsersPerSec(RPS / 10).to(RPS).during(RAMP),
                                                constantUsersPerSec(RPS).during(DURATION))))
                .protocols(SimulationSupport.protocol(BASE_URL).shareConnections().maxConnectionsPerHost(CONNECTIONS))
                .maxDuration(RAMP.plus(DURATION).plusSeconds(120))
                .assertions(assertions);
    }
}
