package gatehouse.contracts.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a batch of {@link AnalyticsRecord}s as the JSON {@code TykJson.MAPPER} would write it,
 * byte for byte (a test holds the two together), without its reflection and buffers: the gateway
 * encodes every request it serves, and Jackson's generic path was the larger part of the analytics
 * shipper's CPU. Reading stays with Jackson.
 */
final class AnalyticsJson {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<AnalyticsJson> WRITERS =
            ThreadLocal.withInitial(AnalyticsJson::new);
    // a batch larger than this is not kept between batches
    private static final int KEEP = 1 << 20;

    private byte[] out = new byte[16 * 1024];
    private int length;

    private AnalyticsJson() {}

    static byte[] encode(List<AnalyticsRecord> records) {
        AnalyticsJson writer = WRITERS.get();
        try {
            return writer.batch(records);
        } finally {
            writer.length = 0;
            if (writer.out.length > KEEP) {
                writer.out = new byte[16 * 1024];
            }
        }
    }

    private byte[] batch(List<AnalyticsRecord> records) {
        raw('[');
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                raw(',');
            }
            record(records.get(i));
        }
        raw(']');
        return Arrays.copyOf(out, length);
    }

    private void record(AnalyticsRecord r) {
        raw('{');
        boolean first = true;
        first = string(first, "method", r.method());
        first = string(first, "host", r.host());
        first = string(first, "path", r.path());
        first = string(first, "raw_path", r.rawPath());
        name(first, "content_length");
        ascii(Long.toString(r.contentLength()));
        string(false, "user_agent", r.userAgent());
        name(false, "response_code");
        ascii(Integer.toString(r.responseCode()));
        string(false, "api_key", r.apiKey());
        if (r.timestamp() != null) {
            name(false, "timestamp");
            raw('"');
            instant(r.timestamp());
            raw('"');
        }
        string(false, "api_version", r.apiVersion());
        string(false, "api_name", r.apiName());
        string(false, "api_id", r.apiId());
        string(false, "org_id", r.orgId());
        string(false, "oauth_id", r.oauthId());
        name(false, "request_time");
        ascii(Double.toString(r.requestTime()));
        if (r.latency() != null) {
            name(false, "latency");
            raw('{');
            name(true, "total");
            ascii(Double.toString(r.latency().total()));
            name(false, "upstream");
            ascii(Double.toString(r.latency().upstream()));
            raw('}');
        }
        string(false, "ip_address", r.ipAddress());
        if (r.network() != null) {
            name(false, "network");
            raw('{');
            name(true, "bytes_in");
            ascii(Long.toString(r.network().bytesIn()));
            name(false, "bytes_out");
            ascii(Long.toString(r.network().bytesOut()));
            raw('}');
        }
        name(false, "tags");
        raw('[');
        List<String> tags = r.tags();
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                raw(',');
            }
            if (tags.get(i) == null) {
                ascii("null");
            } else {
                quoted(tags.get(i));
            }
        }
        raw(']');
        string(false, "alias", r.alias());
        name(false, "track_path");
        ascii(r.trackPath() ? "true" : "false");
        raw('}');
    }

    /** A string field, left out when null (the record's {@code NON_NULL}); false once written. */
    private boolean string(boolean first, String name, String value) {
        if (value == null) {
            return first;
        }
        name(first, name);
        quoted(value);
        return false;
    }

    private void name(boolean first, String name) {
        if (!first) {
            raw(',');
        }
        raw('"');
        ascii(name);
        raw('"');
        raw(':');
    }

    /** {@code DateTimeFormatter.ISO_INSTANT}, as Jackson's {@code InstantSerializer} writes it. */
    private void instant(Instant instant) {
        long seconds = instant.getEpochSecond();
        int nanos = instant.getNano();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra =
                (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 1000 || year > 9999) {
            ascii(DateTimeFormatter.ISO_INSTANT.format(instant));
            return;
        }
        digits((int) year, 4);
        raw('-');
        digits(month, 2);
        raw('-');
        digits(day, 2);
        raw('T');
        digits(secondOfDay / 3600, 2);
        raw(':');
        digits(secondOfDay / 60 % 60, 2);
        raw(':');
        digits(secondOfDay % 60, 2);
        if (nanos != 0) {
            raw('.');
            if (nanos % 1_000_000 == 0) {
                digits(nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                digits(nanos / 1_000, 6);
            } else {
                digits(nanos, 9);
            }
        }
        raw('Z');
    }

    private void digits(int value, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            out[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    /**
     * A JSON string with Jackson's escapes: quote, backslash, control characters, and each half of
     * a surrogate pair; other characters as UTF-8.
     */
    private void quoted(String value) {
        raw('"');
        int n = value.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // the rest through the platform's UTF-8 encoder: rare in these fields
                utf8(value.substring(i));
                break;
            }
            escaped(c);
        }
        raw('"');
    }

    private void utf8(String rest) {
        for (int i = 0; i < rest.length(); ) {
            char c = rest.charAt(i);
            if (c < 0x80) {
                escaped(c);
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                // Jackson escapes both halves (it does not combine them into four UTF-8 bytes)
                unicodeEscape(c);
                i++;
                continue;
            }
            int end = i;
            while (end < rest.length()
                    && rest.charAt(end) >= 0x80
                    && !Character.isSurrogate(rest.charAt(end))) {
                end++;
            }
            byte[] bytes = rest.substring(i, end).getBytes(StandardCharsets.UTF_8);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, out, length, bytes.length);
            length += bytes.length;
            i = end;
        }
    }

    private void escaped(char c) {
        if (c >= 0x20 && c != '"' && c != '\\') {
            raw(c);
            return;
        }
        char shortForm =
                switch (c) {
                    case '"' -> '"';
                    case '\\' -> '\\';
                    case '\b' -> 'b';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\f' -> 'f';
                    case '\r' -> 'r';
                    default -> 0;
                };
        if (shortForm == 0) {
            unicodeEscape(c);
        } else {
            raw('\\');
            raw(shortForm);
        }
    }

    private void unicodeEscape(char c) {
        raw('\\');
        raw('u');
        raw((char) HEX[c >> 12 & 0xF]);
        raw((char) HEX[c >> 8 & 0xF]);
        raw((char) HEX[c >> 4 & 0xF]);
        raw((char) HEX[c & 0xF]);
    }

    private void ascii(String value) {
        int n = value.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            out[length++] = (byte) value.charAt(i);
        }
    }

    private void raw(char c) {
        ensure(1);
        out[length++] = (byte) c;
    }

    private void ensure(int more) {
        if (length + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }
}
