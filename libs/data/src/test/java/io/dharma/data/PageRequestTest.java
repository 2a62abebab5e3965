package io.dharma.data;

import java.util.List;
import java.util.Optional;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.FieldError;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageRequestTest {
    private final CursorCodec codec = CursorCodec.create("0123456789abcdef0123456789abcdef");

    @Test
    void absentOrBlankLimitIsFifty() {
        assertThat(PageRequest.parse(Optional.empty(), Optional.empty(), codec), is(PageRequest.first(50)));
        assertThat(PageRequest.parse(Optional.of(""), Optional.of(" "), codec), is(PageRequest.first(50)));
    }

    @Test
    void limitsOneToHundredAreAccepted() {
        assertThat(PageRequest.parse(Optional.of("1"), Optional.empty(), codec).limit(), is(1));
        assertThat(PageRequest.parse(Optional.of("100"), Optional.empty(), codec).limit(), is(100));
        assertThat(PageRequest.parse(Optional.of("007"), Optional.empty(), codec).limit(), is(7));
    }

    @Test
    void fetchSizeIsOneMoreThanTheLimit() {
        assertThat(PageRequest.first(20).fetchSize(), is(21));
    }

    @Test
    void outOfRangeOrNonNumericLimitIsAValidationFailureOnLimit() {
        for (String limit : List.of("0", "101", "-1", "+5", "abc", "1.5", " 5", "99999999999", "1e2")) {
            ApiException e = assertThrows(ApiException.class,
                                          () -> PageRequest.parse(Optional.of(limit), Optional.empty(), codec), limit);
            assertThat(e.code(), is(ErrorCode.VALIDATION_FAILED));
            assertThat(e.errors(), is(List.of(new FieldError("query/limit", "must be an integer between 1 and 100"))));
        }
    }

    @Test
    void validCursorBecomesTheAfterPosition() {
        String cursor = codec.encode(List.of("2026-01-01T00:00:00Z", "id-1"));
        PageRequest request = PageRequest.parse(Optional.of("10"), Optional.of(cursor), codec);
        assertThat(request.after(), is(Optional.of(new Cursor(List.of("2026-01-01T00:00:00Z", "id-1")))));
    }

    @Test
    void invalidCursorIsABadRequestNotAServerError() {
        ApiException e = assertThrows(ApiException.class,
                                      () -> PageRequest.parse(Optional.empty(), Optional.of("garbage"), codec));
        assertThat(e.code(), is(ErrorCode.BAD_REQUEST));
        assertThat(e.code().status().code(), is(400));
    }

    @Test
    void constructorRejectsLimitsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> PageRequest.first(0));
        assertThrows(IllegalArgumentException.class, () -> PageRequest.first(101));
    }
}
