package io.dharma.health;

import java.time.Duration;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Outcome of one check in a probe.
 *
 * @param name     check name
 * @param up       whether the check passed
 * @param duration how long it took
 * @param details  details the check reported (or the failure reason)
 */
record CheckResult(String name, boolean up, Duration duration, Map<String, String> details) {
    JsonObject toJson() {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("name", name)
                .add("status", up ? "UP" : "DOWN")
                .add("durationMs", duration.toMillis());
        if (!details.isEmpty()) {
            JsonObjectBuilder d = Json.createObjectBuilder();
            details.forEach(d::add);
            json.add("details", d);
        }
        return json.build();
    }
}
