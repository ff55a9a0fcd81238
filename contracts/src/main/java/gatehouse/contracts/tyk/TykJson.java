package gatehouse.contracts.tyk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Tyk's control-API wire format: JSON as Go's {@code json.Encoder} writes it, with {@code <},
 * {@code >}, {@code &}, U+2028 and U+2029 escaped, map keys sorted, and a trailing newline.
 */
public final class TykJson {

    /** Reads Tyk documents leniently: unknown fields are kept by the caller or ignored. */
    public static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .build();

    static {
        MAPPER.getFactory().setCharacterEscapes(new GoEscapes());
    }

    private TykJson() {}

    /** Encodes a value as Go's encoder does, newline included. */
    public static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a request body as a JSON object; null when it is empty, not JSON, or not an object. */
    public static com.fasterxml.jackson.databind.node.ObjectNode readObject(String text) {
        try {
            var tree = text == null || text.isBlank() ? null : MAPPER.readTree(text);
            return tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                    ? object
                    : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static final class GoEscapes extends CharacterEscapes {
        private final int[] table;

        GoEscapes() {
            table = CharacterEscapes.standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_CUSTOM;
            table['>'] = ESCAPE_CUSTOM;
            table['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<' -> new SerializedString("\\u003c");
                case '>' -> new SerializedString("\\u003e");
                case '&' -> new SerializedString("\\u0026");
                case 0x2028 -> new SerializedString("\\u2028");
                case 0x2029 -> new SerializedString("\\u2029");
                default -> null;
            };
        }
    }
}
