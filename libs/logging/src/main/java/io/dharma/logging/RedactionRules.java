package io.dharma.logging;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The precompiled value patterns of a {@link Redactor}. A single pass over the text decides which patterns can
 * match at all, so an ordinary log line costs one scan and no regex work.
 */
final class RedactionRules {
    private static final String MASK = Redactor.MASK;
    private static final int MIN_CARD_DIGITS = 13;
    private static final int MIN_CREDENTIAL_LENGTH = 6;

    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(bearer|basic)([ \\t]+)([A-Za-z0-9._~+/-]+=*)");
    private static final Pattern JWT = Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern AWS_ACCESS_KEY = Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
    // also URL-encoded (jane%40example.com), as in logged query strings
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+?(?:@|%40)(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");
    // issuer digits 2-6 (Visa, Mastercard, Amex, Discover, JCB, UnionPay...), so epoch millis are left alone. A card
    // stands as its own token: digits inside an identifier (hex trace id, UUID, "order_…") are part of it, so no letter,
    // digit or '_' right before the number, and none right after it or after a '-' (a UUID's next group). A
    // URL escape (%3A) or a JSON escape (\n) right before it is a boundary, as in logged query strings and bodies.
    private static final Pattern CARD = Pattern.compile(
            "(?:(?<=%[0-9A-Fa-f]{2})|(?<=\\\\[nrt])|(?<![0-9A-Za-z_]))(?<![0-9][ -])"
                    + "[2-6](?:[ -]?[0-9]){12,18}(?!-?\\w)(?! [0-9])");

    // value of a key/value pair: already masked | \"escaped quoted\" | "quoted" | 'quoted' | [scheme] token [; k=v]*
    // runs of plain characters, possibly with an earlier [REDACTED] inside; loops once per '[', never per character
    private static final String UNQUOTED = "(?:[^\\s,;&\"'}\\])<\\[]++|\\[REDACTED\\]|\\[)++";
    private static final String VALUE = "\\[REDACTED\\]"
            + "|\\\\\"(?:[^\"\\\\]++|\\\\[^\"])*+(?:\\\\\")?"
            + "|\"(?:[^\"\\\\]++|\\\\.)*+\"?"
            + "|'[^']*+'?"
            + "|(?:(?:bearer|basic|digest)[ \\t]+)?" + UNQUOTED
            + "(?:;[ \\t]*[^\\s,;&\"'}\\])<=\\[]++=(?:" + UNQUOTED + ")?)*+";

    // lower case, without '-' and '_': "x-api-key" -> "xapikey"
    private final String[] normalizedKeys;
    private final @Nullable Pattern keyValue;
    private final List<Pattern> extraPatterns;

    RedactionRules(List<String> keys, List<Pattern> extraPatterns) {
        this.normalizedKeys = keys.stream()
                .map(RedactionRules::normalize)
                .filter(k -> !k.isEmpty())
                .distinct()
                .toArray(String[]::new);
        this.keyValue = keyValuePattern(keys);
        this.extraPatterns = List.copyOf(extraPatterns);
    }

    String apply(String text) {
        int longestDigitRun = 0;
        int digitRun = 0;
        boolean at = false;
        boolean sensitivePair = false;
        boolean authScheme = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digitRun++;
                longestDigitRun = Math.max(longestDigitRun, digitRun);
            } else if ((c == ' ' || c == '-') && i > 0 && isDigit(text.charAt(i - 1))) {
                continue; // one separator inside a card number keeps the run going
            } else {
                digitRun = 0;
                if (c == '@') {
                    at = true;
                } else if ((c == 'b' || c == 'B') && !authScheme && i + 1 < text.length()) {
                    // the second letter first: a case-insensitive region match on every 'b' costs more than the scan
                    char second = (char) (text.charAt(i + 1) | 0x20);
                    authScheme = second == 'e' && text.regionMatches(true, i, "bearer", 0, 6)
                            || second == 'a' && text.regionMatches(true, i, "basic", 0, 5);
                } else if ((c == '=' || c == ':') && !sensitivePair) {
                    sensitivePair = sensitiveKeyBefore(text, i);
                }
            }
        }
        String result = text;
        if (sensitivePair && keyValue != null) {
            result = replace(keyValue, result, RedactionRules::maskKeyValue);
        }
        if (authScheme) {
            result = replace(AUTH_SCHEME, result, RedactionRules::maskAuthScheme);
        }
        if (result.contains("eyJ")) {
            result = JWT.matcher(result).replaceAll(MASK);
        }
        if (result.contains("AKIA") || result.contains("ASIA")) {
            result = AWS_ACCESS_KEY.matcher(result).replaceAll(MASK);
        }
        if (at || result.contains("%40")) {
            result = EMAIL.matcher(result).replaceAll(MASK);
        }
        if (longestDigitRun >= MIN_CARD_DIGITS) {
            result = replace(CARD, result, RedactionRules::maskCard);
        }
        for (Pattern pattern : extraPatterns) {
            result = pattern.matcher(result).replaceAll(MASK);
        }
        return result;
    }

    /**
     * Whether a (normalized) field name ends with a sensitive key.
     */
    boolean isSensitive(String normalizedName) {
        for (String key : normalizedKeys) {
            if (normalizedName.endsWith(key)) {
                return true;
            }
        }
        return false;
    }

    static String normalize(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '-' && c != '_') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    static boolean luhnValid(CharSequence number) {
        int sum = 0;
        int count = 0;
        for (int i = number.length() - 1; i >= 0; i--) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int digit = c - '0';
            if (count % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            count++;
        }
        return count > 0 && sum % 10 == 0;
    }

    // the word before a ':' or '=' (skipping blanks, a quote and a backslash) ends with a sensitive key; no allocation
    private boolean sensitiveKeyBefore(String text, int separator) {
        int end = separator;
        while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end > 0 && (text.charAt(end - 1) == '"' || text.charAt(end - 1) == '\'')) {
            end--;
        }
        if (end > 0 && text.charAt(end - 1) == '\\') {
            end--;
        }
        for (String key : normalizedKeys) {
            if (endsWithKey(text, end, key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithKey(String text, int end, String key) {
        int k = key.length() - 1;
        for (int i = end - 1; i >= 0 && k >= 0; i--) {
            char c = text.charAt(i);
            if (c == '-' || c == '_') {
                continue;
            }
            if (Character.toLowerCase(c) != key.charAt(k)) {
                return false;
            }
            k--;
        }
        return k < 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static @Nullable Pattern keyValuePattern(List<String> keys) {
        String alternatives = keys.stream()
                .filter(k -> !k.isBlank())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(RedactionRules::keyRegex)
                .collect(Collectors.joining("|"));
        if (alternatives.isEmpty()) {
            return null;
        }
        // groups: 1 key, 2 closing quote, 3 separator, 4 opening bracket, 5 value
        return Pattern.compile("(?i)(" + alternatives + ")(\\\\?[\"']?)([ \\t]*[:=][ \\t]*)(\\[(?!REDACTED\\]))?"
                                       + "(" + VALUE + ")");
    }

    // "api-key" also matches api_key, apikey and API-KEY
    private static String keyRegex(String key) {
        StringBuilder sb = new StringBuilder();
        for (String part : key.trim().split("[-_]+")) {
            if (!part.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append("[-_]?");
                }
                sb.append(Pattern.quote(part));
            }
        }
        return sb.toString();
    }

    private static String replace(Pattern pattern, String text, Function<MatchResult, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        matcher.reset();
        String replaced = matcher.replaceAll(match -> Matcher.quoteReplacement(replacement.apply(match)));
        // a match may be kept (a number failing Luhn): keep the instance, callers detect changes by identity
        return replaced.equals(text) ? text : replaced;
    }

    private static String maskKeyValue(MatchResult match) {
        String value = match.group(5);
        if (value.equals(MASK)) {
            return match.group();
        }
        String masked;
        if (value.startsWith("\\\"")) {
            masked = "\\\"" + MASK + "\\\"";
        } else if (value.startsWith("\"")) {
            masked = "\"" + MASK + "\"";
        } else if (value.startsWith("'")) {
            masked = "'" + MASK + "'";
        } else {
            masked = MASK;
        }
        String bracket = match.group(4) == null ? "" : match.group(4);
        return match.group(1) + match.group(2) + match.group(3) + bracket + masked;
    }

    private static String maskAuthScheme(MatchResult match) {
        return looksLikeCredential(match.group(3)) ? match.group(1) + match.group(2) + MASK : match.group();
    }

    private static String maskCard(MatchResult match) {
        return luhnValid(match.group()) ? MASK : match.group();
    }

    // tokens and base64 credentials have digits, symbols or inner capitals; "Basic authentication" has none
    private static boolean looksLikeCredential(String token) {
        if (token.length() < MIN_CREDENTIAL_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if ((c >= '0' && c <= '9') || (i > 0 && c >= 'A' && c <= 'Z') || "._~+/-=".indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }
}
