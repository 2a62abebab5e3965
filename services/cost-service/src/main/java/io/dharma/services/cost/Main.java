package io.dharma.services.cost;

import io.dharma.service.DharmaService;

/**
 * Starts cost-service: every cross-cutting feature (logs, errors, probes, metrics, database) comes from
 * {@code application.yaml}.
 */
public final class Main {
    /** Service name: names the logs, the metrics, the embedded database and the migration folder. */
    public static final String NAME = "cost-service";

    private Main() {
    }

    /**
     * Start the service.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        start(DharmaService.builder(NAME));
    }

    /**
     * Register the API on a builder and start it; tests call this with their own configuration.
     *
     * @param builder service builder
     * @return the running service
     */
    public static DharmaService start(DharmaService.Builder builder) {
        return builder.api(CostService.PATH, ctx -> new CostService(JdbcPriceTable.create(ctx.database())))
                .start();
    }
}
