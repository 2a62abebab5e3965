package io.dharma.service;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class ConditionalHeadersTest {
    private static final String ETAG = "\"3\"";
    private static final List<String> MALFORMED = List.of("", " ", ",", ", ,", "3", "\"3", "3\"", "W/", "W/3", "w/\"3\"",
                                                          "\"3\" \"3\"", "\"3\"x", "*, \"3\"", "**", "\"3\u0001\"",
                                                          "\"\u20ac\"", "\"" + "3".repeat(EntityTags.MAX_LENGTH) + "\"");

    @Test
    void ifMatchComparesStrongly() {
        assertThat(Requests.ifMatch("\"3\"", ETAG), is(true));
        assertThat(Requests.ifMatch(" \"1\" ,\"3\"", ETAG), is(true));
        assertThat(Requests.ifMatch("*", ETAG), is(true));
        assertThat(Requests.ifMatch("W/\"3\"", ETAG), is(false));
        assertThat(Requests.ifMatch("W/\"3\", \"4\"", ETAG), is(false));
        assertThat(Requests.ifMatch("\"4\"", ETAG), is(false));
    }

    @Test
    void ifNoneMatchComparesWeakly() {
        assertThat(Requests.ifNoneMatch("\"3\"", ETAG), is(true));
        assertThat(Requests.ifNoneMatch("W/\"3\"", ETAG), is(true));
        assertThat(Requests.ifNoneMatch("\"1\", W/\"3\"", ETAG), is(true));
        assertThat(Requests.ifNoneMatch("*", ETAG), is(true));
        assertThat(Requests.ifNoneMatch("W/\"4\"", ETAG), is(false));
    }

    @Test
    void commasAndSpacesInsideTagsAreTagCharacters() {
        assertThat(Requests.ifMatch("\"a,b\"", "\"a,b\""), is(true));
        assertThat(Requests.ifMatch("\"a\", \"b\"", "\"a,b\""), is(false));
        assertThat(Requests.ifMatch(",,\"3\",,", ETAG), is(true));
    }

    @Test
    void malformedValuesMatchNothing() {
        for (String header : MALFORMED) {
            assertThat(header, Requests.ifMatch(header, ETAG), is(false));
            assertThat(header, Requests.ifNoneMatch(header, ETAG), is(false));
        }
    }
}
