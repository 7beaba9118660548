package io.bulkreg.mcs;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The client's JSON mapper (immutable, thread-safe) and small tolerant readers for the platform's answers. */
final class McsJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private McsJson() {
    }

    /** A non-empty string field, else null (absent, null, another type or ""). */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() && !value.stringValue().isEmpty() ? value.stringValue() : null;
    }

    /** An int field, also when sent as a numeric string ("1002"), else null. */
    static Integer integer(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isString()) {
            try {
                return Integer.valueOf(value.stringValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
