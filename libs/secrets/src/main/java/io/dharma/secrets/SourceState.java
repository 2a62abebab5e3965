package io.dharma.secrets;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What one source held after the last refresh. A failed load keeps the values of the last successful one.
 *
 * @param source       the source
 * @param values       key to value, as returned by {@link SecretSource#load()}
 * @param loadedOnce   whether any load has succeeded
 * @param failingSince first failure of the current run of failures; empty when the last load succeeded
 * @param failure      short description of the last failure (exception types and HTTP status, never messages)
 */
record SourceState(SecretSource source,
                   Map<String, String> values,
                   boolean loadedOnce,
                   Optional<Instant> failingSince,
                   Optional<String> failure) {
    static SourceState initial(SecretSource source) {
        return new SourceState(source, Map.of(), false, Optional.empty(), Optional.empty());
    }

    SourceState succeeded(Map<String, String> loaded) {
        return new SourceState(source, loaded, true, Optional.empty(), Optional.empty());
    }

    SourceState failed(Instant now, String description) {
        return new SourceState(source, values, loadedOnce, Optional.of(failingSince.orElse(now)), Optional.of(description));
    }

    boolean healthy() {
        return failingSince.isEmpty();
    }
}
