package io.dharma.services.blueprint;

import java.time.Instant;
import java.util.UUID;

/**
 * A cost estimate of one version of a blueprint, as cached (public so that the cache's JSON codec can map it).
 *
 * @param blueprintId      the blueprint
 * @param blueprintVersion the version that was priced
 * @param estimate         cost-service's answer, as JSON text
 * @param computedAt       when cost-service computed it
 */
public record CostEstimate(UUID blueprintId, long blueprintVersion, String estimate, Instant computedAt) {
}
