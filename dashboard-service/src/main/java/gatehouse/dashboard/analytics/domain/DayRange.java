package gatehouse.dashboard.analytics.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The days an analytics path names with Tyk's six segments (start day, month, year, end day, month,
 * year; zero-padded or not). Whole days in UTC, the end day included: {@code /1/6/2026/1/6/2026} is
 * all of 1 June 2026 UTC.
 *
 * @param from the first instant counted
 * @param until the first instant after the range
 */
public record DayRange(Instant from, Instant until) {

    /**
     * The range of the six path segments.
     *
     * @throws IllegalArgumentException when a segment is not a number or the date does not exist
     */
    public static DayRange of(
            String startDay,
            String startMonth,
            String startYear,
            String endDay,
            String endMonth,
            String endYear) {
        LocalDate start = date(startDay, startMonth, startYear);
        LocalDate end = date(endDay, endMonth, endYear);
        return new DayRange(
                start.atStartOfDay(ZoneOffset.UTC).toInstant(),
                end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static LocalDate date(String day, String month, String year) {
        try {
            return LocalDate.of(number(year), number(month), number(day));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("no such date: " + e.getMessage(), e);
        }
    }

    private static int number(String segment) {
        if (segment == null || segment.isEmpty() || segment.length() > 4) {
            throw new IllegalArgumentException("a date segment is one to four digits");
        }
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                throw new IllegalArgumentException("a date segment is one to four digits");
            }
        }
        return Integer.parseInt(segment);
    }

    /** True when the range holds no instant (the end day before the start day). */
    public boolean empty() {
        return !until.isAfter(from);
    }
}
