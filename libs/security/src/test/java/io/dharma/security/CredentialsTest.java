package io.dharma.security;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

class CredentialsTest {
    /** RFC 6750's b64token grammar, as a regular expression: the reference the hand-written check must agree with. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String ALPHABET = "aZ09-._~+/=  \t\"',;:%é\u0000";

    @Test
    void b64TokenCheckAgreesWithTheGrammar() {
        Random random = new Random(6750);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder token = new StringBuilder();
            int length = random.nextInt(12);
            for (int c = 0; c < length; c++) {
                token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String value = token.toString();
            assertThat("'" + value + "'", AuthenticationFilter.isB64Token(value), is(B64TOKEN.matcher(value).matches()));
        }
    }

    @Test
    void headerValuesAreSortedIntoNoneMalformedAndBearer() {
        assertThat(AuthenticationFilter.credentials(List.of()), instanceOf(AuthenticationFilter.Credentials.None.class));
        assertThat(AuthenticationFilter.credentials(List.of("Basic abc")),
                   instanceOf(AuthenticationFilter.Credentials.None.class));
        assertThat(AuthenticationFilter.credentials(List.of("Bearer ===")),
                   instanceOf(AuthenticationFilter.Credentials.Malformed.class));
        assertThat(AuthenticationFilter.credentials(List.of("Bearer a.b c")),
                   instanceOf(AuthenticationFilter.Credentials.Malformed.class));
        assertThat(AuthenticationFilter.credentials(List.of("bearer a.b-c_d~e+f/g==")),
                   instanceOf(AuthenticationFilter.Credentials.Bearer.class));
    }
}
