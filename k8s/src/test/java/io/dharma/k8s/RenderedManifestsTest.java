package io.dharma.k8s;

import java.util.List;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** Every overlay and every service base renders, loads into the typed model and passes every check. */
class RenderedManifestsTest {
    private static final List<String> OVERLAYS = List.of("overlays/dev", "overlays/prod");

    @TestFactory
    Stream<DynamicTest> everyOverlayIsConsistentForEveryService() {
        return OVERLAYS.stream().map(overlay -> DynamicTest.dynamicTest(overlay, () -> {
            ManifestChecks checks = new ManifestChecks(Manifests.of(Repository.K8S.resolve(overlay)), Repository.deployDocs());
            for (String service : Repository.services()) {
                assertThat(overlay + " / " + service, checks.check(ServiceFacts.read(Repository.ROOT, service)), is(empty()));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyServiceHasABaseThatIsConsistentAlone() {
        return Repository.services().stream().map(service -> DynamicTest.dynamicTest(service, () -> {
            Manifests base = Manifests.of(Repository.K8S.resolve("base").resolve(service));
            List<String> violations = new ManifestChecks(base, Repository.deployDocs())
                    .check(ServiceFacts.read(Repository.ROOT, service));
            assertThat(service, violations, is(empty()));
        }));
    }

    @Test
    void theApiReferencePageIsOnInDevAndOffInProd() {
        for (String overlay : OVERLAYS) {
            ManifestChecks checks = new ManifestChecks(Manifests.of(Repository.K8S.resolve(overlay)), Repository.deployDocs());
            for (String service : Repository.services()) {
                assertThat(overlay + " / " + service, checks.environment(service).get("OPENAPI_UI_ENABLED"),
                           is(overlay.equals("overlays/prod") ? "false" : "true"));
            }
        }
    }

    @Test
    void overlaysDeployEveryService() {
        for (String overlay : OVERLAYS) {
            List<String> deployed = Manifests.of(Repository.K8S.resolve(overlay)).all(Deployment.class).stream()
                    .map(d -> d.getMetadata().getName()).toList();
            assertThat(overlay, deployed, hasItems(Repository.services().toArray(String[]::new)));
        }
    }
}
