/**
 * cost-service: monthly cost estimates of cloud resources from a price table.
 * <p>
 * Entry points:
 * <ul>
 * <li>{@link io.dharma.services.cost.Main}: bootstrap</li>
 * <li>{@code CostService}: {@code POST /api/v1/costs/estimate}</li>
 * </ul>
 */
@NullMarked
package io.dharma.services.cost;

import org.jspecify.annotations.NullMarked;
