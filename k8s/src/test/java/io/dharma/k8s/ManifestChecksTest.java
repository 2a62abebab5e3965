package io.dharma.k8s;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each check fails on a manifest broken in the way it guards against (the rendered prod overlay, then one change). */
class ManifestChecksTest {
    private static final String SERVICE = "blueprint-service";
    private static String prod;

    @BeforeAll
    static void render() {
        prod = Manifests.render(Repository.K8S.resolve("overlays/prod"));
    }

    @Test
    void unbrokenManifestsPass() {
        assertThat(violations(m -> { }), is(empty()));
    }

    @Test
    void probeOnARouteTheServiceDoesNotHave() {
        assertThat(violations(m -> container(m).getReadinessProbe().getHttpGet().setPath("/health/readyz")),
                   hasItem(containsString("readinessProbe path /health/readyz is not the service's route /health/ready")));
    }

    @Test
    void probeOnTheApiPort() {
        assertThat(violations(m -> container(m).getLivenessProbe().getHttpGet().setPort(new IntOrString("http"))),
                   hasItem(containsString("livenessProbe port http is not the management port 9080")));
    }

    @Test
    void managementPortMovedByConfigurationButNotInTheManifest() {
        assertThat(violations(m -> container(m).getEnv().add(new EnvVar("MANAGEMENT_PORT", "9999", null))),
                   hasItem(containsString("startupProbe port management is not the management port 9999")));
    }

    @Test
    void deploymentSelectorNotMatchingItsPods() {
        assertThat(violations(m -> deployment(m).getSpec().getSelector().getMatchLabels().put("tier", "x")),
                   hasItem(containsString("Deployment selector does not match its pod labels")));
    }

    @Test
    void serviceSelectingOtherPods() {
        assertThat(violations(m -> m.named(Service.class, SERVICE).orElseThrow().getSpec().getSelector()
                           .put("app.kubernetes.io/name", "other")),
                   hasItem(containsString("Service selector")));
    }

    @Test
    void serviceTargetingAMissingPort() {
        assertThat(violations(m -> m.named(Service.class, SERVICE).orElseThrow().getSpec().getPorts().getFirst()
                           .setTargetPort(new IntOrString("web"))),
                   hasItem(containsString("Service port http targets web, no container port")));
    }

    @Test
    void disruptionBudgetSelectingOtherPods() {
        assertThat(violations(m -> m.named(PodDisruptionBudget.class, SERVICE).orElseThrow().getSpec().getSelector()
                           .getMatchLabels().put("app.kubernetes.io/name", "other")),
                   hasItem(containsString("no PodDisruptionBudget selects the pods")));
    }

    @Test
    void autoscalerTargetingAnotherDeployment() {
        assertThat(violations(m -> m.named(HorizontalPodAutoscaler.class, SERVICE).orElseThrow().getSpec()
                           .getScaleTargetRef().setName("blueprint")),
                   hasItem(containsString("no HorizontalPodAutoscaler targets Deployment " + SERVICE)));
    }

    @Test
    void networkPolicySelectingOtherPods() {
        assertThat(violations(m -> m.named(NetworkPolicy.class, SERVICE).orElseThrow().getSpec().getPodSelector()
                           .getMatchLabels().put("app.kubernetes.io/name", "other")),
                   hasItem(containsString("no NetworkPolicy")));
    }

    @Test
    void serviceMonitorScrapingTheApiPort() {
        assertThat(violations(m -> m.all(ServiceMonitor.class).getFirst().getSpec().getEndpoints().getFirst().setPort("http")),
                   hasItem(containsString("scrapes port http, not the Service's management port")));
    }

    @Test
    void graceShorterThanDrainPlusGracePeriod() {
        assertThat(violations(m -> pod(m).setTerminationGracePeriodSeconds(25L)),
                   hasItem(containsString("terminationGracePeriodSeconds 25 < preStop 0 s + drain-delay + grace-period 25 s")));
    }

    @Test
    void drainDelayRaisedInTheConfigMapNeedsMoreGrace() {
        assertThat(violations(m -> m.all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().startsWith(SERVICE))
                           .findFirst().orElseThrow().getData().put("SERVICE_DRAIN_dash_DELAY", "PT30S")),
                   hasItem(containsString("drain-delay + grace-period 50 s")));
    }

    @Test
    void runningAsRoot() {
        assertThat(violations(m -> pod(m).getSecurityContext().setRunAsUser(0L)), hasItem(containsString("non-root")));
        assertThat(violations(m -> {
            pod(m).getSecurityContext().setRunAsNonRoot(false);
            container(m).getSecurityContext().setRunAsNonRoot(null);
        }), hasItem(containsString("non-root")));
    }

    @Test
    void writableRootPrivilegesAndToken() {
        assertThat(violations(m -> container(m).getSecurityContext().setReadOnlyRootFilesystem(false)),
                   hasItem(containsString("root filesystem must be read-only")));
        assertThat(violations(m -> container(m).getSecurityContext().getCapabilities().setDrop(List.of())),
                   hasItem(containsString("capabilities must drop ALL")));
        assertThat(violations(m -> pod(m).getSecurityContext().getSeccompProfile().setType("Unconfined")),
                   hasItem(containsString("seccompProfile must be RuntimeDefault")));
        assertThat(violations(m -> {
            pod(m).setAutomountServiceAccountToken(null);
            m.named(ServiceAccount.class, SERVICE).orElseThrow().setAutomountServiceAccountToken(null);
        }), hasItem(containsString("service-account token")));
        assertThat(violations(m -> container(m).getVolumeMounts().removeIf(v -> v.getMountPath().equals("/tmp"))),
                   hasItem(containsString("/tmp must be a writable emptyDir")));
    }

    @Test
    void missingLimits() {
        assertThat(violations(m -> container(m).getResources().getLimits().remove("memory")),
                   hasItem(containsString("memory request and limit must both be set")));
    }

    @Test
    void undocumentedSecretKey() {
        assertThat(violations(m -> container(m).getEnv().stream().filter(e -> e.getName().equals("DB_PAGINATION_CURSOR_dash_SECRET")).findFirst()
                           .orElseThrow().getValueFrom().getSecretKeyRef().setKey("pagination-secret")),
                   hasItem(containsString("key pagination-secret is neither rendered nor documented")));
    }

    @Test
    void secretsNotMountedWhereTheServiceReadsThem() {
        assertThat(violations(m -> container(m).getVolumeMounts().stream().filter(v -> v.getName().equals("secrets"))
                           .findFirst().orElseThrow().setMountPath("/etc/secrets")),
                   hasItem(containsString("no Secret mounted at secrets.files.directory /var/run/secrets/dharma")));
    }

    @Test
    void missingConfigMap() {
        assertThat(violations(m -> container(m).getEnvFrom().getFirst().getConfigMapRef().setName("nope")),
                   hasItem(containsString("envFrom ConfigMap nope is not rendered")));
    }

    @Test
    void unknownFieldFailsTheLoad() {
        String typo = prod.replaceFirst("\n  replicas: 3\n", "\n  replica: 3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifests.parse(typo));
        assertThat(e.getMessage(), containsString("[replica]"));
    }

    @Test
    void unknownKindFailsTheLoad() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Manifests.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"));
        assertThat(e.getMessage(), containsString("no typed model for v1/Pod"));
    }

    @Test
    void envNamesFollowHelidonsMapping() {
        assertThat(ServiceFacts.envName("service.drain-delay"), is("SERVICE_DRAIN_dash_DELAY"));
        assertThat(ServiceFacts.envName("rate-limit.trusted-proxies"), is("RATE_dash_LIMIT_TRUSTED_dash_PROXIES"));
        assertThat(ServiceFacts.read(Repository.ROOT, SERVICE).setting("server.port", Map.of("SERVER_PORT", "9")).orElseThrow(),
                   is("9"));
    }

    private static List<String> violations(Consumer<Manifests> breakIt) {
        Manifests manifests = Manifests.parse(prod);
        breakIt.accept(manifests);
        return new ManifestChecks(manifests, Repository.deployDocs()).check(ServiceFacts.read(Repository.ROOT, SERVICE));
    }

    private static Deployment deployment(Manifests m) {
        return m.named(Deployment.class, SERVICE).orElseThrow();
    }

    private static PodSpec pod(Manifests m) {
        return deployment(m).getSpec().getTemplate().getSpec();
    }

    private static Container container(Manifests m) {
        return pod(m).getContainers().getFirst();
    }
}
