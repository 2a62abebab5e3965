package io.dharma.services.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dharma.errors.Validation;
import io.dharma.service.Requests;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /api/v1/costs}: {@code POST /estimate} prices a list of resources from the price table and answers the
 * monthly cost per resource and in total. A resource whose (cloud, type, size, region) has no price is a 400
 * VALIDATION_FAILED naming the field that is not priced ({@code /resources/1/size}); nothing is stored. The request's
 * shape was checked against {@code META-INF/openapi.yaml} before the handler runs.
 */
final class CostService implements HttpService {
    /** Where the API is registered. */
    static final String PATH = "/api/v1/costs";
    private static final String USD = "USD";

    private final PriceTable prices;

    CostService(PriceTable prices) {
        this.prices = prices;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/estimate", this::estimateHandler);
    }

    private void estimateHandler(ServerRequest req, ServerResponse res) {
        EstimateRequest body = Requests.json(req, EstimateRequest.class);
        body.validate();
        res.send(estimate(body.resources()));
    }

    Estimate estimate(List<ResourceSpec> resources) {
        Map<PriceTable.Key, BigDecimal> units = prices.unitPrices(resources.stream().map(ResourceSpec::cloud).toList());
        Validation unpriced = Validation.start();
        List<Estimate.Line> lines = new ArrayList<>(resources.size());
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < resources.size(); i++) {
            ResourceSpec spec = resources.get(i);
            BigDecimal unit = units.get(PriceTable.Key.of(spec));
            if (unit == null) {
                unpriced.require(false, "/resources/" + i + unpricedField(spec, units),
                                 "has no price for " + spec.cloud() + " " + spec.type() + " " + spec.size() + " in "
                                         + spec.region());
                continue;
            }
            BigDecimal unitMonthly = unit.setScale(2, RoundingMode.HALF_UP);
            BigDecimal monthly = unit.multiply(BigDecimal.valueOf(spec.count())).setScale(2, RoundingMode.HALF_UP);
            total = total.add(monthly);
            lines.add(new Estimate.Line(spec.type(), spec.size(), spec.count(), spec.region(), spec.cloud(),
                                        unitMonthly, monthly));
        }
        unpriced.throwIfInvalid();
        return new Estimate(USD, total, lines);
    }

    /** The first of type, size, region that no price of the cloud has, so the error points at what to fix. */
    private static String unpricedField(ResourceSpec spec, Map<PriceTable.Key, BigDecimal> units) {
        if (units.keySet().stream().noneMatch(k -> k.cloud().equals(spec.cloud()) && k.type().equals(spec.type()))) {
            return "/type";
        }
        if (units.keySet().stream().noneMatch(k -> k.cloud().equals(spec.cloud()) && k.type().equals(spec.type())
                && k.size().equals(spec.size()))) {
            return "/size";
        }
        return "/region";
    }
}
