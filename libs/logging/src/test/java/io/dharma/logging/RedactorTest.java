package io.dharma.logging;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RedactorTest {
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    private final Redactor redactor = Redactor.create(Config.empty());

    @Test
    void textWithoutSecretsIsReturnedAsTheSameInstance() {
        String text = "GET /api/v1/orders/42 took 12 ms, status 200, at 2025-06-01T10:00:00Z";
        assertThat(redactor.redact(text), sameInstance(text));
    }

    @Test
    void valueOfSensitiveKeyIsMaskedInEveryPairSyntax() {
        assertThat(redactor.redact("login password=hunter2 ok"), is("login password=[REDACTED] ok"));
        assertThat(redactor.redact("password: hunter2"), is("password: [REDACTED]"));
        assertThat(redactor.redact("{\"password\":\"hunter 2\",\"user\":\"bob\"}"),
                   is("{\"password\":\"[REDACTED]\",\"user\":\"bob\"}"));
        assertThat(redactor.redact("{\"password\" : \"a\\\"b\"}"), is("{\"password\" : \"[REDACTED]\"}"));
        assertThat(redactor.redact("body {\\\"secret\\\":\\\"s3\\\"}"), is("body {\\\"secret\\\":\\\"[REDACTED]\\\"}"));
        assertThat(redactor.redact("secret='x y'"), is("secret='[REDACTED]'"));
        assertThat(redactor.redact("/login?user=bob&access_token=abc123&page=2"),
                   is("/login?user=bob&access_token=[REDACTED]&page=2"));
    }

    @Test
    void sensitiveKeysMatchIgnoringCaseSeparatorsAndPrefix() {
        assertThat(redactor.redact("X-Api-Key: k-123"), is("X-Api-Key: [REDACTED]"));
        assertThat(redactor.redact("apiKey=k-123"), is("apiKey=[REDACTED]"));
        assertThat(redactor.redact("CLIENT-SECRET=abc"), is("CLIENT-SECRET=[REDACTED]"));
        assertThat(redactor.redact("db.password=abc"), is("db.password=[REDACTED]"));
        assertThat(redactor.redact("{authorization=[Bearer abc], accept=[*/*]}"),
                   is("{authorization=[[REDACTED]], accept=[*/*]}"));
    }

    @Test
    void keysThatOnlyStartWithASensitiveWordAreKept() {
        String text = "tokens=5 passwordless=true secretary: Bob";
        assertThat(redactor.redact(text), is(text));
    }

    @Test
    void authorizationHeaderIsMaskedWithItsScheme() {
        assertThat(redactor.redact("Authorization: Bearer mF_9.B5f-4.1JqM"), is("Authorization: [REDACTED]"));
        assertThat(redactor.redact("Cookie: session=abc123; theme=dark"), is("Cookie: [REDACTED]"));
        assertThat(redactor.redact("Set-Cookie: a=[REDACTED]; b=[REDACTED]"), is("Set-Cookie: [REDACTED]"));
    }

    @Test
    void bearerAndBasicCredentialsAreMasked() {
        assertThat(redactor.redact("sent Bearer mF_9.B5f-4.1JqM upstream"), is("sent Bearer [REDACTED] upstream"));
        assertThat(redactor.redact("got basic dXNlcjpwYXNz"), is("got basic [REDACTED]"));
        // the scheme in any case, at the start and at the end of the text, after a digit run and an '@'
        assertThat(redactor.redact("BEARER mF_9.B5f-4.1JqM"), is("BEARER [REDACTED]"));
        assertThat(redactor.redact("id 12345, bob@ sent bAsIc dXNlcjpwYXNz"), is("id 12345, bob@ sent bAsIc [REDACTED]"));
        assertThat(redactor.redact("abc bearer"), is("abc bearer"));
    }

    @Test
    void ordinaryWordsAfterBasicAreKept() {
        String text = "Basic authentication failed, bearer of bad news";
        assertThat(redactor.redact(text), is(text));
    }

    @Test
    void jwtIsMasked() {
        assertThat(redactor.redact("token " + JWT + " expired"), is("token [REDACTED] expired"));
    }

    @Test
    void awsAccessKeyIdIsMasked() {
        assertThat(redactor.redact("key AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A"), is("key [REDACTED] and [REDACTED]"));
    }

    @Test
    void emailAddressIsMasked() {
        assertThat(redactor.redact("mail to jane.doe+x@mail.example.com, done"), is("mail to [REDACTED], done"));
        assertThat(redactor.redact("/users?email=jane.doe%40example.com&page=2"), is("/users?email=[REDACTED]&page=2"));
    }

    @Test
    void luhnValidCardNumbersAreMasked() {
        assertThat(redactor.redact("card 4111 1111 1111 1111 ok"), is("card [REDACTED] ok"));
        assertThat(redactor.redact("card 4111-1111-1111-1111"), is("card [REDACTED]"));
        assertThat(redactor.redact("card 4111111111111111"), is("card [REDACTED]"));
        assertThat(redactor.redact("amex 378282246310005"), is("amex [REDACTED]"));
    }

    @Test
    void aCardIsMaskedWhateverPunctuationSurroundsIt() {
        for (String card : List.of("4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005")) {
            for (String around : List.of(" ", "=", ":", "\"", "'", "/", ",", ";", "(", ")", "[", "]", "\t", "|", "-")) {
                String close = around.equals("(") ? ")" : around.equals("[") ? "]" : around.equals("-") ? " " : around;
                assertThat(redactor.redact("pan" + around + card + close + "ok"),
                           is("pan" + around + Redactor.MASK + close + "ok"));
            }
            // escaped, as in a logged query string or JSON body
            assertThat(redactor.redact("q=card%3A" + card + "%2C" + card + "&x=1"),
                       is("q=card%3A" + Redactor.MASK + "%2C" + Redactor.MASK + "&x=1"));
            assertThat(redactor.redact("{\\\"note\\\":\\\"x\\n" + card + "\\t" + card + "\\\"}"),
                       is("{\\\"note\\\":\\\"x\\n" + Redactor.MASK + "\\t" + Redactor.MASK + "\\\"}"));
        }
    }

    @Test
    void digitsInsideAnIdentifierAreNeverMistakenForACard() {
        // ids drawn mostly from digits, so many hold a Luhn-valid run of 13 or more digits that starts with 2-6
        Random random = new Random(7);
        Pattern cardLike = Pattern.compile("[2-6][0-9]{12,18}");
        int cardLikeRuns = 0;
        for (int i = 0; i < 5_000; i++) {
            String traceId = hexMostlyDigits(random, 32);
            String spanId = hexMostlyDigits(random, 15) + "abcdef".charAt(random.nextInt(6));
            // version 4, variant 8-b: the shape of UUID.randomUUID()
            String uuid = String.join("-", hexMostlyDigits(random, 8), hexMostlyDigits(random, 4),
                                      "4" + hexMostlyDigits(random, 3), "89ab".charAt(random.nextInt(4))
                                              + hexMostlyDigits(random, 3), hexMostlyDigits(random, 12));
            for (String id : List.of(traceId, spanId, uuid, "order_" + uuid.substring(0, 8), "ref-" + traceId)) {
                Matcher run = cardLike.matcher(id.replace("-", ""));
                while (run.find()) {
                    cardLikeRuns += RedactionRules.luhnValid(run.group()) ? 1 : 0;
                }
                String text = "request " + id + " done";
                assertThat(id, redactor.redact(text), sameInstance(text));
            }
        }
        assertThat(cardLikeRuns > 100, is(true));
    }

    private static String hexMostlyDigits(Random random, int length) {
        StringBuilder hex = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            hex.append(random.nextInt(100) < 90 ? (char) ('0' + random.nextInt(10)) : "abcdef".charAt(random.nextInt(6)));
        }
        return hex.toString();
    }

    @Test
    void numbersThatFailLuhnAreKept() {
        String text = "order 4111 1111 1111 1112 and 4111111111111112, at 1717236000000, ref 20250601123045";
        assertThat(redactor.redact(text), sameInstance(text));
    }

    @Test
    void luhnCheckAcceptsValidNumbersOnly() {
        assertThat(RedactionRules.luhnValid("4111111111111111"), is(true));
        assertThat(RedactionRules.luhnValid("5555 5555 5555 4444"), is(true));
        assertThat(RedactionRules.luhnValid("4111111111111112"), is(false));
    }

    @Test
    void registeredSecretIsMaskedAnywhere() {
        Redactor.registerSecret("Vault-Pa55-unit");
        assertThat(redactor.redact("connecting with Vault-Pa55-unit!"), is("connecting with [REDACTED]!"));
        assertThat(Redactor.create(config(Map.of("enabled", "false"))).redact("xVault-Pa55-unitx"), is("x[REDACTED]x"));
    }

    @Test
    void aCleanTextSeenBeforeIsMaskedOnceItHoldsANewlyRegisteredSecret() {
        // letters only: a run of digits could itself look like a card number and be masked before the secret exists
        StringBuilder unseen = new StringBuilder();
        for (long n = System.nanoTime(); n > 0; n /= 26) {
            unseen.append((char) ('a' + n % 26));
        }
        String text = "connected with Rotated-Pa55-unit-" + unseen;
        assertThat(redactor.redact(text), sameInstance(text));
        assertThat(redactor.redact(text), sameInstance(text));
        Redactor.registerSecret(text.substring("connected with ".length()));
        assertThat(redactor.redact(text), is("connected with [REDACTED]"));
    }

    @Test
    void textsWithTheSameHashAreEachRedactedForThemselves() {
        // "AaAa" and "BBBB" have the same String.hashCode, so a clean text and one holding a secret share a slot
        Redactor.registerSecret("BBBB-collide-secret");
        String clean = "id AaAa-collide-secret";
        String secret = "id BBBB-collide-secret";
        assertThat(clean.hashCode(), is(secret.hashCode()));
        for (int i = 0; i < 3; i++) {
            assertThat(redactor.redact(clean), sameInstance(clean));
            assertThat(redactor.redact(secret), is("id [REDACTED]"));
        }
    }

    @Test
    void repeatingATextGivesTheSameAnswerAsTheFirstTime() {
        Random random = new Random(42);
        String[] parts = {"password=", "x", "Bearer ", "abc123XYZ", "jane@example.com", "4111 1111 1111 1111", " ", "=",
                          "route", "/api/v1/things/{id}", "eyJ", JWT, "AKIAIOSFODNN7EXAMPLE", "b", "basic"};
        Redactor fresh = Redactor.create(Config.empty());
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int p = random.nextInt(5); p >= 0; p--) {
                text.append(parts[random.nextInt(parts.length)]);
            }
            String first = redactor.redact(text.toString());
            assertThat(redactor.redact(text.toString()), is(first));
            assertThat(Redactor.create(Config.empty()).redact(text.toString()), is(first));
            assertThat(fresh.redact(text.toString()), is(first));
        }
    }

    @Test
    void registeredSecretsShorterThanFourCharactersAreIgnored() {
        Redactor.registerSecret("abc");
        assertThat(redactor.redact("abc abcd"), is("abc abcd"));
    }

    @Test
    void disabledRedactorKeepsPatterns() {
        Redactor disabled = Redactor.create(config(Map.of("enabled", "false")));
        assertThat(disabled.redact("password=hunter2"), is("password=hunter2"));
        assertThat(disabled.isSensitiveKey("password"), is(false));
    }

    @Test
    void configuredKeysReplaceTheDefaults() {
        Redactor custom = Redactor.create(config(Map.of("keys.0", "pin")));
        assertThat(custom.redact("pin=1234 password=x"), is("pin=[REDACTED] password=x"));
        assertThat(custom.isSensitiveKey("cardPin"), is(true));
        assertThat(custom.isSensitiveKey("password"), is(false));
    }

    @Test
    void configuredPatternsAreMaskedToo() {
        Redactor custom = Redactor.create(config(Map.of("patterns.0", "ORD-SECRET-\\d+")));
        assertThat(custom.redact("order ORD-SECRET-991 shipped"), is("order [REDACTED] shipped"));
    }

    @Test
    void invalidPatternIsRejected() {
        assertThrows(LoggingConfigException.class, () -> Redactor.create(config(Map.of("patterns.0", "(unclosed"))));
    }

    @Test
    void sensitiveFieldNamesAreRecognised() {
        assertThat(redactor.isSensitiveKey("password"), is(true));
        assertThat(redactor.isSensitiveKey("Set-Cookie"), is(true));
        assertThat(redactor.isSensitiveKey("refreshToken"), is(true));
        assertThat(redactor.isSensitiveKey("x_api_key"), is(true));
        assertThat(redactor.isSensitiveKey("message"), is(false));
        assertThat(redactor.isSensitiveKey("correlationId"), is(false));
    }

    @Test
    void hugeTextWithoutSecretsIsHandled() {
        String blob = "A1b2".repeat(50_000) + " \"" + "x\\\"".repeat(20_000) + "\" password=\"" + "y".repeat(100_000);
        String redacted = redactor.redact(blob);
        assertThat(redacted, containsString("password=\"[REDACTED]\""));
        assertThat(redacted, not(containsString("yyyy")));
    }

    @Test
    void hugeUnquotedValueIsMaskedWithoutStackOverflow() {
        assertThat(redactor.redact("token=" + "a[b".repeat(100_000) + " end"), is("token=[REDACTED] end"));
    }

    @Test
    void alreadyMaskedValuesAreNotMaskedTwice() {
        String masked = "password=[REDACTED] {\"token\":\"[REDACTED]\"} Authorization: [REDACTED]";
        assertThat(redactor.redact(masked), sameInstance(masked));
    }

    @Test
    void defaultsListTheDocumentedKeys() {
        assertThat(Redactor.DEFAULT_KEYS, is(List.of("password", "passwd", "secret", "token", "access_token",
                                                     "refresh_token", "authorization", "cookie", "set-cookie", "api-key",
                                                     "apikey", "x-api-key", "client_secret", "private_key",
                                                     "credentials")));
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }
}
