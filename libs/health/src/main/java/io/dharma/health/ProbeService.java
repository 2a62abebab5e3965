package io.dharma.health;

import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

import io.helidon.health.HealthCheckType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;

/**
 * Serves one probe per route: 200 with {@code "status":"UP"} when every check passes, else 503 with
 * {@code "status":"DOWN"}; each check lists its status and duration.
 */
final class ProbeService implements HttpService {
    private final Probes probes;

    ProbeService(Probes probes) {
        this.probes = probes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", (req, res) -> answer(res, HealthCheckType.LIVENESS))
                .get("/ready", (req, res) -> answer(res, HealthCheckType.READINESS))
                .get("/started", (req, res) -> answer(res, HealthCheckType.STARTUP));
    }

    private void answer(ServerResponse res, HealthCheckType type) {
        List<CheckResult> results = probes.run(type);
        boolean up = results.stream().allMatch(CheckResult::up);
        JsonArrayBuilder checks = Json.createArrayBuilder();
        results.forEach(r -> checks.add(r.toJson()));
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(Json.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", checks).build().toString());
    }
}
