package io.dharma.security;

import io.dharma.errors.ErrorCode;

/**
 * {@code WWW-Authenticate} challenges (RFC 6750 §3) and the problem details of authentication failures. Descriptions
 * are generic on purpose: why a token failed is logged, never told to the client.
 */
final class Challenge {
    private Challenge() {
    }

    static String header(String realm, ErrorCode code) {
        String base = "Bearer realm=\"" + realm + "\"";
        return switch (code) {
            case MISSING_TOKEN -> base;
            case TOKEN_EXPIRED -> base + ", error=\"invalid_token\", error_description=\"The access token expired\"";
            case FORBIDDEN -> base + ", error=\"insufficient_scope\", "
                    + "error_description=\"The access token does not grant access to this resource\"";
            default -> base + ", error=\"invalid_token\", error_description=\"The access token is invalid\"";
        };
    }

    static String detail(ErrorCode code) {
        return switch (code) {
            case MISSING_TOKEN -> "This request needs a bearer token in the Authorization header";
            case TOKEN_EXPIRED -> "The bearer token has expired; obtain a new one";
            case FORBIDDEN -> "The bearer token does not grant access to this resource";
            default -> "The bearer token is not valid";
        };
    }
}
