package ${package};

import io.dharma.data.CursorCodec;
import io.dharma.service.DharmaService;

/**
 * Starts ${artifactId}: every cross-cutting feature (logs, errors, probes, metrics, database) comes from
 * {@code application.yaml}.
 */
public final class Main {
    /** Service name: names the logs, the metrics, the embedded database and the migration folder. */
    public static final String NAME = "${artifactId}";

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
        return builder.api(${resourceClass}Service.PATH, ctx -> new ${resourceClass}Service(
                        new Cached${resourceClass}Repository(Jdbc${resourceClass}Repository.create(ctx.database()), ctx.caches()),
                        CursorCodec.create(ctx.config().get("db.pagination"))))
                .start();
    }
}
