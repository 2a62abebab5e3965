package io.dharma.security;

import java.time.Duration;

import io.dharma.errors.ErrorCode;

/**
 * The outcome of checking a token: a principal, the reason it was refused, or no verdict because the keys are
 * unavailable.
 */
sealed interface Verification {
    /**
     * The token is valid.
     *
     * @param principal who it identifies
     */
    record Verified(Principal principal) implements Verification {
    }

    /**
     * The token is refused.
     *
     * @param code          {@link ErrorCode#INVALID_TOKEN} or {@link ErrorCode#TOKEN_EXPIRED}
     * @param reason        why, for the server log only (never sent to the client)
     * @param dependsOnTime whether the same token may pass later (not valid yet), so the verdict must not be kept
     */
    record Rejected(ErrorCode code, String reason, boolean dependsOnTime) implements Verification {
        Rejected(ErrorCode code, String reason) {
            this(code, reason, false);
        }

        static Rejected invalid(String reason) {
            return new Rejected(ErrorCode.INVALID_TOKEN, reason);
        }

        /** A token that becomes valid later: the verdict must not be kept. */
        static Rejected notYetValid(String reason) {
            return new Rejected(ErrorCode.INVALID_TOKEN, reason, true);
        }
    }

    /**
     * No verdict: the keys that would decide are unavailable (a JWKS endpoint down before any key was known).
     *
     * @param reason     why, for the server log only
     * @param retryAfter when keys may be known again
     */
    record Unavailable(String reason, Duration retryAfter) implements Verification {
    }
}
