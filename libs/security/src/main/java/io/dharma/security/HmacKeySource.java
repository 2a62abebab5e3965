package io.dharma.security;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HMAC secret read from a supplier on every verification; the key is rebuilt only when the value changes.
 */
final class HmacKeySource implements KeySource {
    private static final Logger LOGGER = LoggerFactory.getLogger(HmacKeySource.class);

    private final Supplier<Optional<String>> secret;
    // the last value seen and the keys built from it, replaced as one so readers never see a mix
    private volatile Current current = new Current(null, List.of());

    HmacKeySource(Supplier<Optional<String>> secret) {
        this.secret = secret;
    }

    @Override
    public List<VerificationKey> keys() {
        Optional<String> value;
        try {
            value = secret.get();
        } catch (RuntimeException e) {
            // the secret store is unreachable: keep verifying with the last secret it gave us
            LOGGER.warn("Reading the JWT HMAC secret failed ({}); keeping the last one", e.getClass().getSimpleName());
            return current.keys();
        }
        if (value.isEmpty()) {
            return List.of();
        }
        Current seen = current;
        if (value.get().equals(seen.value())) {
            return seen.keys();
        }
        List<VerificationKey> keys;
        try {
            keys = List.of(VerificationKey.hmac(value.get()));
            if (seen.value() != null) {
                LOGGER.info("The JWT HMAC secret changed; tokens are now verified with the new one");
            }
        } catch (SecurityConfigException e) {
            // logged once per distinct value, never printing it
            LOGGER.error("The JWT HMAC secret is unusable and is ignored: {}", e.getMessage());
            keys = List.of();
        }
        current = new Current(value.get(), keys);
        return keys;
    }

    private record Current(@Nullable String value, List<VerificationKey> keys) {
        @Override
        public String toString() {
            return "Current[" + keys + "]";
        }
    }
}
