package io.dharma.ratelimit;

import java.util.List;
import java.util.Optional;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.security.KeySource;
import io.dharma.security.Principal;
import io.dharma.security.Security;
import io.dharma.security.SecurityConfig;
import io.dharma.testing.Tokens;
import io.dharma.testing.YamlConfig;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;

/** The pipeline of a service, reduced to what rate limiting touches: IP filter, authentication, user filter. */
final class Routes {
    static final String SECRET = "0123456789abcdef0123456789abcdef-rate-limit-tests";
    static final Tokens TOKENS = Tokens.hmac(SECRET);

    private Routes() {
    }

    /** The authenticated caller, as a service's bootstrap hands it to the limiter. */
    static Optional<Caller> caller(ServerRequest req) {
        return Principal.current(req.context()).map(p -> new Caller(p.id(), p.tier().name()));
    }

    static void routing(HttpRouting.Builder routing, RateLimiting limits) {
        SecurityConfig security = SecurityConfig.create(YamlConfig.parse("""
                security:
                  default-authenticate: false
                  jwt:
                    issuer: "%s"
                    audience: "%s"
                    hmac-secret: "%s"
                """.formatted(Tokens.ISSUER, Tokens.AUDIENCE, SECRET)).get("security"), "rate-limit-test");
        routing.addFilter(limits.ipFilter())
                .addFilter(Security.authenticationFilter(security, KeySource.create(security.jwt())))
                .addFilter(limits.userFilter(Routes::caller))
                .get("/anon/hello", (req, res) -> res.send("hello"))
                .get("/api/hello", (req, res) -> res.send("hello"))
                .get("/api/v1/blueprints/{id}/cost", (req, res) -> res.send("42"))
                .get("/api/boom", (req, res) -> {
                    throw new IllegalStateException("boom");
                })
                .error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()));
    }

    static String bearer(String subject, String tier) {
        return "Bearer " + TOKENS.valid(subject, List.of(), tier);
    }
}
