package io.bulkreg.mcs;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the platform's error from either documented shape; the HTTP status is kept whatever the body holds:
 * <ul>
 *   <li>registerDevice.md: {@code {"results":{"code":1002,"url":"...","description":"..."}}}</li>
 *   <li>later docs: {@code {"errors":[{"code":4001,"message":"..."}],"statusCode":401,"message":"..."}}</li>
 * </ul>
 */
public final class McsErrorParser {

    private McsErrorParser() {
    }

    /** Never throws: an unreadable or unknown body gives an error with the status only. */
    public static McsError parse(int httpStatus, byte[] body) {
        if (body == null || body.length == 0) {
            return new McsError(httpStatus, null, null, null);
        }
        JsonNode root;
        try {
            root = McsJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            return new McsError(httpStatus, null, null, null);
        }
        if (root == null || !root.isObject()) {
            return new McsError(httpStatus, null, null, null);
        }
        JsonNode results = first(root.get("results"));
        if (results != null && results.isObject()) {
            return new McsError(httpStatus, McsJson.integer(results, "code"), McsJson.text(results, "url"),
                    McsJson.text(results, "description"));
        }
        JsonNode error = first(root.get("errors"));
        if (error != null && error.isObject()) {
            String message = McsJson.text(error, "message");
            return new McsError(httpStatus, McsJson.integer(error, "code"), null,
                    message != null ? message : McsJson.text(root, "message"));
        }
        return new McsError(httpStatus, McsJson.integer(root, "code"), null, McsJson.text(root, "message"));
    }

    /** Tolerates an array where an object is documented (and vice versa), taking its first element. */
    private static JsonNode first(JsonNode node) {
        if (node != null && node.isArray()) {
            return node.isEmpty() ? null : node.get(0);
        }
        return node;
    }
}
