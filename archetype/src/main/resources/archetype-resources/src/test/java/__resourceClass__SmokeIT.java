package ${package};

import java.nio.file.Path;

import io.dharma.testing.SmokeCheck;

/**
 * The packaged service as an operator runs it ({@code java -jar target/${artifactId}.jar}), checked from
 * outside by the shared Dharma smoke check: probes, problem responses, metrics, JSON logs with correlation ids, 401
 * without a valid token and the security headers. The check starts the jar with a signing key of its own
 * ({@code SECRET_JWT_SIGNING_KEY}, issuer and audience) and calls the API with a bearer token of that key.
 */
class ${resourceClass}SmokeIT extends SmokeCheck {
    ${resourceClass}SmokeIT() {
        super(Path.of("target", "${artifactId}.jar"), ${resourceClass}Service.PATH);
    }
}
