package io.dharma.health;

import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;

import io.helidon.health.HealthCheckType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;

/**
 * Serves one probe per route: 200 with {@code "status":"UP"} when every check passes, else 503 with
 * {@code "status":"DOWN"}; with {@code health.details} each check lists its status, duration and details.
 */
final class ProbeService implements HttpService {
    /** Built once: {@code Json.create*} looks the provider up on every call. */
    static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

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
        JsonObjectBuilder body = JSON.createObjectBuilder().add("status", up ? "UP" : "DOWN");
        if (probes.config().details()) {
            JsonArrayBuilder checks = JSON.createArrayBuilder();
            results.forEach(r -> checks.add(r.toJson()));
            body.add("checks", checks);
        }
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body.build().toString());
    }
}
