package io.dharma.data;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PaginationTest {
    private final CursorCodec codec = CursorCodec.create("0123456789abcdef0123456789abcdef");

    @Test
    void keysetPageWithTheExtraRowHasANextCursorFromItsLastRow() {
        PageRequest request = PageRequest.first(3);
        KeysetPage<Integer> page = KeysetPage.of(rows(request.fetchSize()), request.limit(), i -> List.of("k" + i), codec);
        assertThat(page.data(), is(List.of(1, 2, 3)));
        assertThat(page.page().limit(), is(3));
        assertThat(codec.decode(page.page().nextCursor().orElseThrow()).values(), is(List.of("k3")));
    }

    @Test
    void keysetPageWithoutTheExtraRowIsTheLast() {
        assertThat(KeysetPage.of(rows(3), 3, i -> List.of("k" + i), codec).page().nextCursor(), is(Optional.empty()));
        assertThat(KeysetPage.of(rows(0), 3, i -> List.of("k" + i), codec).data(), is(List.of()));
    }

    @Test
    void mappingAPageKeepsItsCursor() {
        KeysetPage<Integer> page = KeysetPage.of(rows(3), 2, i -> List.of("k" + i), codec);
        KeysetPage<String> mapped = page.map(i -> "row " + i);
        assertThat(mapped.data(), is(List.of("row 1", "row 2")));
        assertThat(mapped.page(), is(page.page()));
    }

    @Test
    void offsetRequestDefaultsToFirstPageOfFifty() {
        OffsetPage.Request request = OffsetPage.Request.parse(Optional.empty(), Optional.of(""));
        assertThat(request, is(new OffsetPage.Request(1, 50)));
        assertThat(request.offset(), is(0L));
    }

    @Test
    void offsetRequestParsesPageAndLimit() {
        OffsetPage.Request request = OffsetPage.Request.parse(Optional.of("3"), Optional.of("20"));
        assertThat(request, is(new OffsetPage.Request(3, 20)));
        assertThat(request.offset(), is(40L));
    }

    @Test
    void offsetRequestRejectsPageZeroAndLimitOutOfRangeNamingTheParameter() {
        ApiException page = assertThrows(ApiException.class, () -> OffsetPage.Request.parse(Optional.of("0"), Optional.empty()));
        assertThat(page.code(), is(ErrorCode.VALIDATION_FAILED));
        assertThat(page.errors().getFirst().field(), is("query/page"));
        ApiException limit = assertThrows(ApiException.class,
                                          () -> OffsetPage.Request.parse(Optional.empty(), Optional.of("500")));
        assertThat(limit.errors().getFirst().field(), is("query/limit"));
        assertThrows(IllegalArgumentException.class, () -> new OffsetPage.Request(1, 0));
    }

    @Test
    void offsetPageCountsTotalPagesOnlyWhenTotalIsKnown() {
        OffsetPage.Request request = new OffsetPage.Request(2, 20);
        OffsetPage<Integer> page = OffsetPage.of(rows(20), request, 57);
        assertThat(page.total(), is(Optional.of(57L)));
        assertThat(page.totalPages(), is(Optional.of(3)));
        assertThat(OffsetPage.of(rows(0), request, 0).totalPages(), is(Optional.of(0)));
        assertThat(OffsetPage.of(rows(20), request).total(), is(Optional.empty()));
        assertThat(OffsetPage.of(rows(20), request).totalPages(), is(Optional.empty()));
    }

    private static List<Integer> rows(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }
}
