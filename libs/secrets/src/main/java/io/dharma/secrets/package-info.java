/**
 * Secrets for Dharma services from one chain of sources: HashiCorp Vault KV v2 (token, AppRole or Kubernetes auth), files in a
 * mounted directory (Kubernetes secrets) and environment variables.
 * <p>
 * Entry point: {@link io.dharma.secrets.Secrets}, created from the {@code secrets} config node. Values are cached and
 * refreshed periodically, listeners hear about rotated values, every value is registered with the log redaction
 * ({@link io.dharma.logging.Redactor#registerSecret(String)}), and {@link io.dharma.secrets.Secrets#readinessCheck()}
 * reports whether the sources are reachable. Failures are {@link io.dharma.secrets.SecretsException}s.
 */
@NullMarked
package io.dharma.secrets;

import org.jspecify.annotations.NullMarked;
