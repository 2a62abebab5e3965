package io.dharma.services.blueprint;

import io.dharma.data.CursorCodec;
import io.dharma.service.DharmaService;

/**
 * Starts blueprint-service: every cross-cutting feature comes from {@code application.yaml}.
 */
public final class Main {
    private Main() {
    }

    /**
     * Start the service.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        start(DharmaService.builder("blueprint-service"));
    }

    /**
     * Register the API on a builder and start it; tests call this with their own configuration.
     *
     * @param builder service builder
     * @return the running service
     */
    public static DharmaService start(DharmaService.Builder builder) {
        return builder.api("/api/v1/blueprints", ctx -> new BlueprintService(
                        new CachedBlueprintRepository(JdbcBlueprintRepository.create(ctx.database()), ctx.caches()),
                        CursorCodec.create(ctx.config().get("db.pagination")),
                        new CostEstimates(ctx.downstreams().get(CostEstimates.DOWNSTREAM), ctx.caches())))
                .start();
    }
}
