package io.dharma.data;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CursorCodecTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final List<String> VALUES = List.of("1767225600123456", "6f1c2b9e-8a4d-4c1e-9f00-1234567890ab");

    private final CursorCodec codec = CursorCodec.create(SECRET);

    @Test
    void roundTripReturnsTheValuesInOrder() {
        String cursor = codec.encode(VALUES);
        assertThat(codec.decode(cursor), is(new Cursor(VALUES)));
        assertThat(codec.decode(cursor).value(1), is(VALUES.get(1)));
    }

    @Test
    void cursorIsUrlSafeAndDoesNotShowTheValuesInClear() {
        String cursor = codec.encode(VALUES);
        assertThat(cursor.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), is(true));
        assertThat(cursor, not(containsString("6f1c2b9e")));
    }

    @Test
    void unicodeAndEmptyValuesSurviveTheRoundTrip() {
        List<String> values = List.of("", "Zürich ☁", "a.b");
        assertThat(codec.decode(codec.encode(values)).values(), is(values));
    }

    @Test
    void flippedPayloadByteIsRejected() {
        String cursor = codec.encode(VALUES);
        String[] parts = cursor.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
        payload[payload.length - 1] ^= 0x01;
        assertInvalid(Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1]);
    }

    @Test
    void everySingleCharacterChangeIsRejected() {
        String cursor = codec.encode(VALUES);
        for (int i = 0; i < cursor.length(); i++) {
            if (cursor.charAt(i) == '.') {
                continue;
            }
            char replacement = cursor.charAt(i) == 'A' ? 'B' : 'A';
            assertInvalid(cursor.substring(0, i) + replacement + cursor.substring(i + 1));
        }
    }

    @Test
    void truncatedCursorIsRejected() {
        String cursor = codec.encode(VALUES);
        assertInvalid(cursor.substring(0, cursor.length() - 1));
        assertInvalid(cursor.substring(0, cursor.indexOf('.')));
        assertInvalid(cursor.substring(0, cursor.indexOf('.') + 1));
        assertInvalid(cursor.substring(cursor.indexOf('.')));
    }

    @Test
    void garbageIsRejected() {
        assertInvalid("");
        assertInvalid("not a cursor");
        assertInvalid("%%%.###");
        assertInvalid("a.b.c");
        assertInvalid("x".repeat(CursorCodec.MAX_CURSOR_LENGTH + 1));
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("1|2".getBytes(StandardCharsets.UTF_8));
        assertInvalid(unsigned + "." + unsigned);
    }

    @Test
    void paddedBase64IsRejected() {
        String cursor = codec.encode(List.of("a"));
        assertInvalid(cursor + "=");
    }

    @Test
    void cursorSignedWithAnotherKeyIsRejected() {
        String foreign = CursorCodec.create("another-secret-another-secret-xx").encode(VALUES);
        assertInvalid(foreign);
    }

    @Test
    void codecsWithTheSameSecretAcceptEachOthersCursors() {
        Config pagination = Config.just(ConfigSources.create(Map.of("db.pagination.cursor-secret", SECRET)))
                .get("db.pagination");
        assertThat(CursorCodec.create(pagination).decode(codec.encode(VALUES)).values(), is(VALUES));
    }

    @Test
    void withoutSecretTheProcessKeyIsSharedByEveryCodecOfTheProcess() {
        CursorCodec first = CursorCodec.create(Config.empty().get("db.pagination"));
        CursorCodec second = CursorCodec.create(Config.empty().get("db.pagination"));
        assertThat(second.decode(first.encode(VALUES)).values(), is(VALUES));
        assertInvalid(first.encode(VALUES), codec);
    }

    @Test
    void shortSecretIsAConfigurationError() {
        assertThrows(DataException.class, () -> CursorCodec.create("too-short"));
    }

    @Test
    void encodingNoValuesOrTooManyIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> codec.encode(List.of()));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9")));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(List.of("x".repeat(1000))));
    }

    @Test
    void missingCursorPositionIsABadRequest() {
        Cursor cursor = codec.decode(codec.encode(List.of("only")));
        ApiException e = assertThrows(ApiException.class, () -> cursor.value(1));
        assertThat(e.code(), is(ErrorCode.BAD_REQUEST));
    }

    private void assertInvalid(String cursor) {
        assertInvalid(cursor, codec);
    }

    private static void assertInvalid(String cursor, CursorCodec codec) {
        ApiException e = assertThrows(ApiException.class, () -> codec.decode(cursor), cursor);
        assertThat(e.code(), is(ErrorCode.BAD_REQUEST));
        assertThat(e.detail(), is("The cursor is invalid"));
    }
}
