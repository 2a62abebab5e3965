package io.dharma.security;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;

/**
 * The authenticated caller of a request: who it is, the token's subject, its roles and its subscription tier.
 * <p>
 * The authentication filter registers it in the request context; handlers read it with
 * {@link #current(Context) Principal.current(req.context())}. A request without a token on a route that does not
 * require one has no principal.
 * <p>
 * {@link #id()} is the identity to store as an owner and to key per-user state by. While one issuer is trusted it is
 * the {@code sub} claim alone (so data stored before stays valid); when tokens of several issuers are accepted
 * ({@code security.jwt.issuer} lists more than one, or {@code allow-any-issuer}) two issuers may use the same subject
 * for different users, so it is the issuer, a space and the subject ({@code https://login.example.com alice}; a
 * {@code %} or space in the issuer is written {@code %25} / {@code %20}, so the first space always ends the issuer).
 *
 * @param id      the user's identity: {@code subject}, or issuer and subject (see above); never blank
 * @param subject the token's {@code sub} claim, never blank
 * @param roles   roles from the configured roles claim ({@code security.jwt.roles-claim}, default {@code roles}; a
 *                JSON array or a space-separated string)
 * @param tier    subscription tier from the {@code tier} claim, else {@code subscription}, else {@link Tier#FREE}
 */
public record Principal(String id, String subject, Set<String> roles, Tier tier) {
    /** MDC key holding the identity while the request is handled (so log lines, the access log included, carry it). */
    public static final String MDC_KEY = "userId";

    /**
     * Validates and copies.
     */
    public Principal {
        if (subject.isBlank() || id.isBlank()) {
            throw new IllegalArgumentException("A principal needs a subject");
        }
        roles = Set.copyOf(roles);
    }

    /**
     * A principal of the only trusted issuer: its identity is the subject.
     *
     * @param subject the {@code sub} claim
     * @param roles   roles
     * @param tier    tier
     */
    public Principal(String subject, Set<String> roles, Tier tier) {
        this(subject, subject, roles, tier);
    }

    /**
     * A principal of one of several trusted issuers: its identity names the issuer too.
     *
     * @param issuer  the {@code iss} claim
     * @param subject the {@code sub} claim
     * @param roles   roles
     * @param tier    tier
     * @return principal whose {@link #id()} is the escaped issuer, a space and the subject
     */
    public static Principal ofIssuer(String issuer, String subject, Set<String> roles, Tier tier) {
        return new Principal(issuer.replace("%", "%25").replace(" ", "%20") + " " + subject, subject, roles, tier);
    }

    /**
     * The principal of the request a context belongs to.
     *
     * @param context request context ({@code req.context()})
     * @return the principal, empty for anonymous requests
     */
    public static Optional<Principal> current(Context context) {
        return context.get(Holder.class).map(Holder::principal);
    }

    /**
     * The authenticated principal of a request on a route that requires authentication.
     *
     * @param context request context
     * @return principal
     * @throws ApiException 401 MISSING_TOKEN when the request is not authenticated (a route rule
     *                                       that does not require a token)
     */
    public static Principal required(Context context) {
        return current(context).orElseThrow(() -> ApiException.of(ErrorCode.MISSING_TOKEN, "A bearer token is required"));
    }

    /**
     * The principal of the request being handled on this thread ({@link Contexts#context()}), which works behind the
     * correlation filter and in tasks run with a context-aware executor.
     *
     * @return the principal, empty outside request handling and for anonymous requests
     */
    public static Optional<Principal> current() {
        return Contexts.context().flatMap(Principal::current);
    }

    /**
     * Whether the principal has a role.
     *
     * @param role role name (case-sensitive)
     * @return {@code true} if it has the role
     */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /**
     * Whether the principal has at least one of the roles; an empty collection needs none.
     *
     * @param anyOf accepted roles
     * @return {@code true} if {@code anyOf} is empty or shares a role with the principal
     */
    public boolean hasAnyRole(Collection<String> anyOf) {
        if (anyOf.isEmpty()) {
            return true;
        }
        for (String role : anyOf) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    void register(Context context) {
        context.register(new Holder(this));
    }

    // private key type: code outside this class can neither register nor replace the principal of a request
    private record Holder(Principal principal) {
    }
}
