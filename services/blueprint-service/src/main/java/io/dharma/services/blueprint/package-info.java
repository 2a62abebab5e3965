/**
 * blueprint-service: cloud infrastructure blueprints (a target cloud and the resources to create there).
 * <p>
 * Entry points: {@link io.dharma.services.blueprint.Main} (bootstrap) and {@link io.dharma.services.blueprint.BlueprintService}
 * (routes under {@code /api/v1/blueprints}).
 */
@NullMarked
package io.dharma.services.blueprint;

import org.jspecify.annotations.NullMarked;
