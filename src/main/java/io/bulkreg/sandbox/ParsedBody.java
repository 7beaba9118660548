package io.bulkreg.sandbox;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** A POST body that is JSON: either the bulk form ({@code devices} array) or the single-device revision. */
record ParsedBody(boolean singleDevice, List<JsonNode> deviceNodes) {

    int deviceCount() {
        return deviceNodes.size();
    }
}
