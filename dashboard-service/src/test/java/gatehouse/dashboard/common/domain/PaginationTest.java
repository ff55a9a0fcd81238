package gatehouse.dashboard.common.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tyk's pages (DASHBOARD.md §1.3, §11.3): p below 0 is all, 0 and 1 the first page. */
class PaginationTest {

    @ParameterizedTest(name = "p={0} of {1} rows: offset {2}, limit {3}, pages {4}")
    @CsvSource(
            nullValues = "null",
            value = {
                "null, 25, 0, 10, 3",
                "0, 25, 0, 10, 3",
                "1, 25, 0, 10, 3",
                "2, 25, 10, 10, 3",
                "3, 25, 20, 10, 3",
                "-1, 25, 0, 0, 1",
                "-5, 0, 0, 0, 1",
                "1, 0, 0, 10, 1",
                "1, 10, 0, 10, 1",
                "1, 11, 0, 10, 2"
            })
    void pages(Integer p, long total, int offset, int limit, int pages) {
        Pagination page = Pagination.of(p, 10);
        assertEquals(offset, page.offset());
        assertEquals(limit, page.limit());
        assertEquals(pages, page.pages(total));
        assertEquals(limit == 0, page.all());
    }

    @org.junit.jupiter.api.Test
    void idsAreTwentyFourHexAndDistinct() {
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            String id = ObjectIds.next(java.time.Clock.systemUTC());
            assertTrue(ObjectIds.isValid(id), id);
            assertTrue(seen.add(id), "repeated " + id);
        }
    }
}
