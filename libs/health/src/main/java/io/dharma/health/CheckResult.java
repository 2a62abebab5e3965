package io.dharma.health;

import java.time.Duration;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Outcome of one check in a probe.
 *
 * @param name     check name
 * @param up       whether the check passed
 * @param duration how long it took
 * @param details  details the check reported (or the failure reason)
 * @param failure  the exception the check threw, with its message, for the log only (empty if none)
 */
record CheckResult(String name, boolean up, Duration duration, Map<String, String> details, String failure) {
    JsonObject toJson() {
        JsonObjectBuilder json = ProbeService.JSON.createObjectBuilder()
                .add("name", name)
                .add("status", up ? "UP" : "DOWN")
                .add("durationMs", duration.toMillis());
        if (!details.isEmpty()) {
            JsonObjectBuilder d = ProbeService.JSON.createObjectBuilder();
            details.forEach(d::add);
            json.add("details", d);
        }
        return json.build();
    }
}
