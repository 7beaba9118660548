package io.bulkreg.sandbox;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Turns POST bytes into a {@link ParsedBody}; only checks the JSON structure, not the device fields. */
final class RequestBodyParser {

    static final String DEVICES = "devices";

    ParsedBody parse(byte[] body) throws SandboxRejection {
        JsonNode root;
        try {
            root = SandboxJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new SandboxRejection(SandboxErrorCode.MALFORMED_JSON);
        }
        if (root == null || !root.isObject()) {
            throw new SandboxRejection(SandboxErrorCode.MALFORMED_JSON);
        }
        JsonNode devices = root.get(DEVICES);
        if (devices == null) {
            // The later API revision: the body is the device itself.
            return new ParsedBody(true, List.of(root));
        }
        if (!devices.isArray()) {
            throw new SandboxRejection(SandboxErrorCode.NO_DEVICES);
        }
        List<JsonNode> nodes = new ArrayList<>(devices.size());
        devices.forEach(nodes::add);
        return new ParsedBody(false, nodes);
    }
}
