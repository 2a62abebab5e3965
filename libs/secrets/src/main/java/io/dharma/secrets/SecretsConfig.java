package io.dharma.secrets;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.helidon.config.Config;

/**
 * The {@code secrets} node, read and validated once. Keys and defaults are documented on {@link Secrets}.
 *
 * @param sources         source ids in chain order: {@code vault}, {@code files}, {@code env}
 * @param refreshInterval time between two refreshes
 * @param retryInterval   time before the next refresh while a source fails (at most the refresh interval)
 * @param required        secrets readiness waits for
 * @param envPrefix       prefix of the environment variables
 * @param filesDirectory  directory with one file per secret
 * @param vault           Vault settings, present when the chain holds {@code vault}
 */
record SecretsConfig(List<String> sources,
                     Duration refreshInterval,
                     Duration retryInterval,
                     List<String> required,
                     String envPrefix,
                     Path filesDirectory,
                     Optional<VaultConfig> vault) {
    static final String VAULT = "vault";
    static final String FILES = "files";
    static final String ENV = "env";
    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
    static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(10);
    static final String DEFAULT_ENV_PREFIX = "SECRET_";
    static final String DEFAULT_FILES_DIRECTORY = "/var/run/secrets/dharma";
    private static final Set<String> KNOWN_SOURCES = Set.of(VAULT, FILES, ENV);

    static SecretsConfig create(Config secrets) {
        Config vaultNode = secrets.get("vault");
        boolean vaultAddressSet = vaultNode.get("address").asString().filter(s -> !s.isBlank()).isPresent();
        List<String> sources = list(secrets.get("sources"));
        if (sources.isEmpty()) {
            sources = vaultAddressSet ? List.of(VAULT, FILES, ENV) : List.of(FILES, ENV);
        }
        for (String source : sources) {
            require(KNOWN_SOURCES.contains(source), "secrets.sources: unknown source '" + source + "', use vault, files, env");
        }
        require(new HashSet<>(sources).size() == sources.size(), "secrets.sources lists a source twice: " + sources);
        Optional<VaultConfig> vault = Optional.empty();
        if (sources.contains(VAULT)) {
            require(vaultAddressSet, "secrets.sources holds vault, but secrets.vault.address is not set");
            vault = Optional.of(VaultConfig.create(vaultNode));
        }

        Duration refreshInterval = duration(secrets, "refresh-interval", DEFAULT_REFRESH_INTERVAL);
        Duration retryInterval = duration(secrets, "retry-interval", DEFAULT_RETRY_INTERVAL);
        if (retryInterval.compareTo(refreshInterval) > 0) {
            retryInterval = refreshInterval;
        }
        String envPrefix = secrets.get("env.prefix").asString().orElse(DEFAULT_ENV_PREFIX);
        // an empty prefix would make every environment variable (PATH, HOME...) a secret masked in every log line
        require(!envPrefix.isBlank(), "secrets.env.prefix must not be empty");
        String directory = secrets.get("files.directory").asString().filter(s -> !s.isBlank()).orElse(DEFAULT_FILES_DIRECTORY);
        Path filesDirectory;
        try {
            filesDirectory = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new SecretsConfigException("secrets.files.directory is not a valid path: " + directory, e);
        }
        List<String> required = list(secrets.get("required")).stream().distinct().toList();
        return new SecretsConfig(List.copyOf(sources), refreshInterval, retryInterval, required,
                                 envPrefix, filesDirectory, vault);
    }

    /** A list, or a comma-separated value as it comes from an environment variable. */
    static List<String> list(Config node) {
        if (!node.exists()) {
            return List.of();
        }
        List<String> values = node.isLeaf()
                ? Arrays.asList(node.asString().orElse("").split(","))
                : node.asList(String.class).orElse(List.of());
        return values.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static Duration duration(Config parent, String key, Duration defaultValue) {
        Duration value;
        try {
            value = parent.get(key).as(Duration.class).orElse(defaultValue);
        } catch (RuntimeException e) {
            throw new SecretsConfigException(parent.key() + "." + key + " must be an ISO-8601 duration such as PT5M", e);
        }
        require(!value.isNegative() && !value.isZero(), parent.key() + "." + key + " must be positive, got " + value);
        return value;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new SecretsConfigException(message);
        }
    }

    /**
     * The {@code secrets.vault} node.
     *
     * @param address     Vault address, scheme, host and port, no trailing slash
     * @param mount       mount of the KV v2 engine
     * @param path        path of the document whose keys are the secrets
     * @param token       token auth
     * @param roleId      AppRole auth: role id
     * @param secretId    AppRole auth: secret id
     * @param approlePath mount of the AppRole auth method
     * @param kubernetes  Kubernetes auth, when {@code kubernetes.role} is set
     * @param timeout     connect and read timeout of each call
     */
    record VaultConfig(String address,
                       String mount,
                       String path,
                       Optional<String> token,
                       Optional<String> roleId,
                       Optional<String> secretId,
                       String approlePath,
                       Optional<KubernetesAuth> kubernetes,
                       Duration timeout) {
        static final String DEFAULT_MOUNT = "secret";
        static final String DEFAULT_APPROLE_PATH = "approle";
        static final String DEFAULT_KUBERNETES_PATH = "kubernetes";
        static final String DEFAULT_JWT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";
        static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

        static VaultConfig create(Config vault) {
            String address = vault.get("address").asString().orElse("").strip();
            while (address.endsWith("/")) {
                address = address.substring(0, address.length() - 1);
            }
            require(validAddress(address), "secrets.vault.address must be an http or https URL such as "
                    + "https://vault:8200, got " + address);
            String mount = trimSlashes(vault.get("mount").asString().orElse(DEFAULT_MOUNT));
            require(!mount.isEmpty(), "secrets.vault.mount must not be empty");
            String path = trimSlashes(vault.get("path").asString().orElse(""));
            require(!path.isEmpty(), "secrets.vault.path must name the secret document, e.g. blueprint-service");
            Optional<String> token = nonBlank(vault.get("token"));
            Optional<String> roleId = nonBlank(vault.get("approle.role-id"));
            Optional<String> secretId = nonBlank(vault.get("approle.secret-id"));
            require(roleId.isPresent() == secretId.isPresent(),
                    "secrets.vault.approle needs both role-id and secret-id");
            Optional<KubernetesAuth> kubernetes = KubernetesAuth.create(vault.get("kubernetes"));
            int auths = (token.isPresent() ? 1 : 0) + (roleId.isPresent() ? 1 : 0) + (kubernetes.isPresent() ? 1 : 0);
            require(auths == 1, "secrets.vault needs exactly one auth: token, approle.role-id and approle.secret-id, "
                    + "or kubernetes.role");
            String approlePath = trimSlashes(vault.get("approle.path").asString().orElse(DEFAULT_APPROLE_PATH));
            require(!approlePath.isEmpty(), "secrets.vault.approle.path must not be empty");
            return new VaultConfig(address, mount, path, token, roleId, secretId, approlePath, kubernetes,
                                   duration(vault, "timeout", DEFAULT_TIMEOUT));
        }

        boolean approle() {
            return roleId.isPresent();
        }

        /** Whether the token comes from a login (AppRole or Kubernetes), so a denied token calls for a new login. */
        boolean login() {
            return approle() || kubernetes.isPresent();
        }

        String auth() {
            return approle() ? "approle" : kubernetes.isPresent() ? "kubernetes" : "token";
        }

        private static boolean validAddress(String address) {
            try {
                URI uri = URI.create(address);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static Optional<String> nonBlank(Config node) {
            return node.asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
        }

        private static String trimSlashes(String value) {
            String result = value.strip();
            while (result.startsWith("/")) {
                result = result.substring(1);
            }
            while (result.endsWith("/")) {
                result = result.substring(0, result.length() - 1);
            }
            return result;
        }

        @Override
        public String toString() {
            // never print the token or the secret id
            return "VaultConfig[address=" + address + ", mount=" + mount + ", path=" + path
                    + ", auth=" + auth() + ", timeout=" + timeout + "]";
        }
    }

    /**
     * The {@code secrets.vault.kubernetes} node: Vault's Kubernetes auth method, which logs in with the pod's service
     * account token.
     *
     * @param role    Vault role bound to the service account
     * @param jwtPath file with the service account token (re-read at each login: projected tokens rotate)
     * @param path    mount of the Kubernetes auth method
     */
    record KubernetesAuth(String role, Path jwtPath, String path) {
        static Optional<KubernetesAuth> create(Config kubernetes) {
            Optional<String> role = VaultConfig.nonBlank(kubernetes.get("role"));
            if (role.isEmpty()) {
                return Optional.empty();
            }
            String jwtPath = kubernetes.get("jwt-path").asString().orElse(VaultConfig.DEFAULT_JWT_PATH).strip();
            require(!jwtPath.isEmpty(), "secrets.vault.kubernetes.jwt-path must not be empty");
            Path jwt;
            try {
                jwt = Path.of(jwtPath);
            } catch (InvalidPathException e) {
                throw new SecretsConfigException("secrets.vault.kubernetes.jwt-path is not a valid path: " + jwtPath, e);
            }
            String path = VaultConfig.trimSlashes(kubernetes.get("path").asString()
                                                           .orElse(VaultConfig.DEFAULT_KUBERNETES_PATH));
            require(!path.isEmpty(), "secrets.vault.kubernetes.path must not be empty");
            return Optional.of(new KubernetesAuth(role.get(), jwt, path));
        }
    }
}
