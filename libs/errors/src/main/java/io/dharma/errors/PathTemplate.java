package io.dharma.errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;

/**
 * A Helidon path template ({@code /api/v1/blueprints/{id}}) compiled once for the filters that look a request up in
 * their own rules (security, limits, caching headers, request validation). It answers exactly what
 * {@link PathMatchers#create(String)} answers, but a template made of literal and {@code {name}} segments is matched
 * segment by segment, without a regular expression or an allocation; other forms ({@code {+rest}},
 * {@code {name:regex}}, {@code [optional]}, {@code *} globs) use Helidon's matcher. Compared with the decoded,
 * normalised path, which the {@linkplain Errors#guard request guard} makes the only form any filter sees.
 */
public final class PathTemplate {
    private final String template;
    /** Per segment: the literal, or null for a parameter; null when Helidon's matcher is used. */
    private final String[] literals;
    private final String[] names;
    private final PathMatcher helidon;

    private PathTemplate(String template, String[] literals, String[] names, PathMatcher helidon) {
        this.template = template;
        this.literals = literals;
        this.names = names;
        this.helidon = helidon;
    }

    /**
     * Compiles a template.
     *
     * @param template Helidon path template
     * @return the compiled template
     */
    public static PathTemplate create(String template) {
        PathMatcher helidon = PathMatchers.create(template);
        if (!template.startsWith("/") || template.length() < 2 || template.endsWith("/") || !template.contains("{")) {
            // exact and prefix templates are plain string comparisons in Helidon already
            return new PathTemplate(template, null, null, helidon);
        }
        String[] segments = template.substring(1).split("/", -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.startsWith("{") && segment.endsWith("}") && isName(segment.substring(1, segment.length() - 1))) {
                names.add(segment.substring(1, segment.length() - 1));
                segments[i] = null;
            } else if (segment.isEmpty() || !isLiteral(segment)) {
                return new PathTemplate(template, null, null, helidon);
            }
        }
        return new PathTemplate(template, segments, names.toArray(String[]::new), helidon);
    }

    /**
     * The template as written.
     *
     * @return template
     */
    public String template() {
        return template;
    }

    /**
     * Whether the whole path matches the template.
     *
     * @param path request path
     * @return true on a match
     */
    public boolean matches(UriPath path) {
        return literals == null ? helidon.match(path).accepted() : matched(path.path()) == path.path().length();
    }

    /**
     * Whether the path matches the template or lies below it (whole segments: {@code /a/{id}} covers {@code /a/1} and
     * {@code /a/1/b}, never {@code /a/1b}).
     *
     * @param path request path
     * @return true on a match
     */
    public boolean matchesPrefix(UriPath path) {
        if (literals == null) {
            return helidon.prefixMatch(path).accepted();
        }
        String decoded = path.path();
        int end = matched(decoded);
        // what follows the match is nothing or a slash and at least one character (Helidon's "(/.+)?")
        return end == decoded.length() || (end > 0 && end + 1 < decoded.length() && decoded.charAt(end) == '/');
    }

    /**
     * The parameters of a whole-path match.
     *
     * @param path request path
     * @return parameter name to value, empty when the path does not match
     */
    public Optional<Map<String, String>> parameters(UriPath path) {
        if (literals == null) {
            PathMatchers.MatchResult result = helidon.match(path);
            return result.accepted() ? Optional.of(result.path().pathParameters().toMap().entrySet().stream()
                    .collect(HashMap<String, String>::new, (m, e) -> m.put(e.getKey(), e.getValue().getFirst()),
                             Map::putAll)) : Optional.empty();
        }
        String decoded = path.path();
        if (matched(decoded) != decoded.length()) {
            return Optional.empty();
        }
        Map<String, String> parameters = HashMap.newHashMap(names.length);
        int start = 1;
        int name = 0;
        for (String literal : literals) {
            int end = segmentEnd(decoded, start);
            if (literal == null) {
                parameters.put(names[name++], decoded.substring(start, end));
            }
            start = end + 1;
        }
        return Optional.of(parameters);
    }

    @Override
    public String toString() {
        return template;
    }

    /** Index just after the template's last segment in the path, or -1 when a segment differs. */
    private int matched(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return -1;
        }
        int start = 1;
        int end = 0;
        for (String literal : literals) {
            if (start > path.length()) {
                return -1;
            }
            end = segmentEnd(path, start);
            if (literal == null ? end == start
                                : end - start != literal.length() || !path.startsWith(literal, start)) {
                return -1;
            }
            start = end + 1;
        }
        return end;
    }

    private static int segmentEnd(String path, int start) {
        int slash = path.indexOf('/', start);
        return slash < 0 ? path.length() : slash;
    }

    private static boolean isName(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLiteral(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '{' || c == '}' || c == '[' || c == ']' || c == '*' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
