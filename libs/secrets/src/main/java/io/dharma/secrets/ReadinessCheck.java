package io.dharma.secrets;

import java.util.List;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness of the secret sources, computed from the state of the last refresh (it never calls a source, so it
 * answers at once). DOWN only while a required secret has never been loaded; a source that stopped answering keeps
 * the service UP on cached values and shows as {@code "vault": "unreachable since <time>"}.
 */
final class ReadinessCheck implements HealthCheck {
    private final Secrets secrets;

    ReadinessCheck(Secrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "secrets";
    }

    @Override
    public HealthCheckResponse call() {
        List<String> missing = secrets.missingRequired();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder()
                .status(missing.isEmpty() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN);
        for (SourceState state : secrets.sourceStates()) {
            String id = state.source().id();
            response.detail(id, state.failingSince().map(since -> "unreachable since " + since).orElse("ok"));
            state.failure().ifPresent(failure -> response.detail(id + ".error", failure));
        }
        secrets.lastRefresh().ifPresent(time -> response.detail("lastRefresh", time.toString()));
        if (!missing.isEmpty()) {
            response.detail("missing", String.join(", ", missing));
        }
        return response.build();
    }
}
