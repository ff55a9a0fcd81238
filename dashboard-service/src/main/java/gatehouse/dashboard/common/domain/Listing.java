package gatehouse.dashboard.common.domain;

import java.util.List;

/**
 * One page of a list and how many rows the whole list has.
 *
 * @param items the page's rows
 * @param total the rows of every page
 * @param <T> the row type
 */
public record Listing<T>(List<T> items, long total) {}
