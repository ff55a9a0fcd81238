package gatehouse.dashboard.common.domain;

/**
 * Tyk's list pages (DASHBOARD.md §1.3): {@code p} below 0 is everything, 0 and 1 (or no {@code p})
 * the first page, then pages of the configured size (10 by default).
 *
 * @param offset the first row
 * @param limit how many rows; 0 for all
 * @param size the page size, for the page count
 */
public record Pagination(int offset, int limit, int size) {

    /** The rows of page {@code p} ({@code null}: the first). */
    public static Pagination of(Integer p, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the page size must be at least 1");
        }
        if (p != null && p < 0) {
            return new Pagination(0, 0, size);
        }
        int page = p == null || p < 1 ? 1 : p;
        long offset = (long) (page - 1) * size;
        return new Pagination((int) Math.min(offset, Integer.MAX_VALUE), size, size);
    }

    /** True when every row is asked for. */
    public boolean all() {
        return limit == 0;
    }

    /**
     * The page count for a total: at least 1, as Tyk answers an empty list with {@code pages: 1}.
     */
    public int pages(long total) {
        if (all()) {
            return 1;
        }
        return (int) Math.max(1, (total + size - 1) / size);
    }
}
