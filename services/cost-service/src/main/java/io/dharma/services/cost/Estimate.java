package io.dharma.services.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * A monthly cost breakdown (the JSON answer of an estimate). Amounts are USD, rounded half-up to cents per line; the
 * total is the sum of the lines.
 *
 * @param currency     always {@code USD}
 * @param monthlyTotal sum of every line's {@code monthly}
 * @param resources    one line per requested resource, in request order
 */
public record Estimate(String currency, BigDecimal monthlyTotal, List<Line> resources) {
    /**
     * One priced resource.
     *
     * @param type        resource type
     * @param size        size class
     * @param count       how many
     * @param region      region
     * @param cloud       cloud
     * @param unitMonthly price of one unit per month in that region
     * @param monthly     {@code unitMonthly × count}
     */
    public record Line(String type, String size, int count, String region, String cloud, BigDecimal unitMonthly,
                       BigDecimal monthly) {
    }
}
