package io.dharma.services.cost;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * The list prices and region factors the estimates are computed from.
 */
interface PriceTable {
    /**
     * Unit prices per month, for every (cloud, type, size, region) of the given clouds.
     *
     * @param clouds clouds to load (at least one)
     * @return unit price per month by key
     */
    Map<Key, BigDecimal> unitPrices(Collection<String> clouds);

    /**
     * What one unit price is for.
     *
     * @param cloud  cloud
     * @param type   resource type
     * @param size   size class
     * @param region region
     */
    record Key(String cloud, String type, String size, String region) {
        static Key of(ResourceSpec spec) {
            return new Key(spec.cloud(), spec.type(), spec.size(), spec.region());
        }
    }
}
