package io.dharma.security;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dharma.testing.Tokens;

/**
 * Cost of one verification with and without the verified-token cache: a plain loop, not a test (timings are not
 * asserted). Run from the repository root after {@code mvn -pl libs/security test-compile}:
 * <pre>
 * java -cp "libs/security/target/test-classes:libs/security/target/classes:$(cat /tmp/security-cp.txt)" \
 *     io.dharma.security.TokenVerifierBenchmark
 * </pre>
 * with the class path written by {@code mvn -pl libs/security dependency:build-classpath -Dmdep.outputFile=/tmp/security-cp.txt}.
 */
final class TokenVerifierBenchmark {
    private static final int ROUNDS = 5;
    private static final int ITERATIONS = 200_000;

    private TokenVerifierBenchmark() {
    }

    public static void main(String[] args) {
        String secret = Tokens.randomSecret();
        Tokens hmac = Tokens.hmac(secret);
        Tokens rsa = Tokens.rsa("bench-rsa");
        Tokens ec = Tokens.ec("bench-ec");
        KeySource keys = KeySource.all(List.of(KeySource.hmac(() -> Optional.of(secret)),
                                               KeySource.of(List.of(VerificationKey.of(rsa.keyId(), rsa.publicKey()),
                                                                    VerificationKey.of(ec.keyId(), ec.publicKey())))));
        JwtConfig cached = JwtConfig.create(Fixtures.config(Map.of()).get(""));
        JwtConfig uncached = JwtConfig.create(Fixtures.config(Map.of("token-cache.max-size", "0")).get(""));
        for (Map.Entry<String, Tokens> tokens : List.of(Map.entry("HS256", hmac), Map.entry("RS256", rsa),
                                                        Map.entry("ES256", ec))) {
            String alg = tokens.getKey();
            String token = tokens.getValue().valid("alice", List.of("editor"), "professional");
            double off = measure(new TokenVerifier(uncached, keys, InstantSource.system()), token, divisor(alg));
            double on = measure(new TokenVerifier(cached, keys, InstantSource.system()), token, 1);
            System.out.printf("%s: uncached %,.0f ns/verification, cached %,.0f ns/verification (%.0fx)%n", alg, off, on,
                              off / on);
        }
    }

    private static int divisor(String alg) {
        return switch (alg) {
            case "HS256" -> 1;
            case "RS256" -> 20;
            default -> 200;
        };
    }

    /** Median over rounds of the mean time per verification; slow algorithms run fewer iterations. */
    private static double measure(TokenVerifier verifier, String token, int divisor) {
        int iterations = ITERATIONS / divisor;
        double[] rounds = new double[ROUNDS];
        int sink = 0;
        for (int i = 0; i < iterations; i++) {
            sink += verifier.verify(token) instanceof Verification.Verified ? 1 : 0;
        }
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                sink += verifier.verify(token) instanceof Verification.Verified ? 1 : 0;
            }
            rounds[round] = (System.nanoTime() - start) / (double) iterations;
        }
        if (sink != iterations * (ROUNDS + 1)) {
            throw new IllegalStateException("a verification failed");
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }
}
