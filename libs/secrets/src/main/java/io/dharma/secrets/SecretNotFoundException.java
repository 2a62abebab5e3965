package io.dharma.secrets;

/**
 * Thrown by {@link Secrets#require(String)} when no source has ever provided the secret.
 */
public final class SecretNotFoundException extends SecretsException {
    private final String secretName;

    SecretNotFoundException(String secretName, String chain) {
        super("Secret '" + secretName + "' is not provided by any secret source (" + chain + ")");
        this.secretName = secretName;
    }

    /**
     * Name of the missing secret.
     *
     * @return secret name
     */
    public String secretName() {
        return secretName;
    }
}
