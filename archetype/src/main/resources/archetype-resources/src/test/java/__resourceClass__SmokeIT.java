package ${package};

import java.nio.file.Path;

import io.dharma.testing.SmokeCheck;

/**
 * The packaged service as an operator runs it ({@code java -jar target/${artifactId}.jar}), checked from
 * outside by the shared Dharma smoke check: probes, problem responses, metrics, JSON logs with correlation ids.
 */
class ${resourceClass}SmokeIT extends SmokeCheck {
    ${resourceClass}SmokeIT() {
        super(Path.of("target", "${artifactId}.jar"), ${resourceClass}Service.PATH);
    }
}
