package io.dharma.testing;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Assertions that a response is a well-formed RFC 9457 problem with the expected status and code, carries the
 * correlation id, and leaks no internals (exception names, stack frames, SQL).
 */
public final class ProblemAssertions {
    private static final List<Pattern> INTERNALS = List.of(
            Pattern.compile("Exception"),
            Pattern.compile("\\bat [a-z]+\\.[a-z]+\\."),
            Pattern.compile("(?i)\\b(select|insert|update|delete)\\b.*\\b(from|into|set)\\b"),
            Pattern.compile("(?i)sqlstate|jdbc:|org\\.postgresql|org\\.h2|io\\.helidon\\.|java\\.lang\\."));

    private ProblemAssertions() {
    }

    /**
     * Assert a problem response.
     *
     * @param response response
     * @param status   expected status
     * @param code     expected error code
     * @return the problem body, for further checks
     */
    public static JsonObject assertProblem(HttpTestClient.Response response, int status, String code) {
        assertThat("status of " + response.body(), response.status(), is(status));
        assertThat(response.header("Content-Type").orElse(""), startsWith("application/problem+json"));
        JsonObject problem = response.json();
        assertThat(problem.getInt("status"), is(status));
        assertThat(problem.getString("code"), is(code));
        assertThat(problem.getString("type"), not(is("")));
        assertThat(problem.getString("title"), not(is("")));
        assertThat(problem.getString("instance"), is(response.raw().request().uri().getRawPath()));
        assertThat("timestamp " + problem.getString("timestamp"),
                   problem.getString("timestamp").matches("\\d{4}-\\d{2}-\\d{2}T.*Z"), is(true));
        String correlationId = problem.getString("correlationId");
        assertThat(response.header("X-Correlation-Id").orElse(""), is(correlationId));
        assertNoInternals(response.body());
        return problem;
    }

    /**
     * Assert a body carries no exception text, stack frames, class names or SQL.
     *
     * @param body response body
     */
    public static void assertNoInternals(String body) {
        for (Pattern internal : INTERNALS) {
            assertThat("leaks internals: " + body, internal.matcher(body).find(), is(false));
        }
    }
}
