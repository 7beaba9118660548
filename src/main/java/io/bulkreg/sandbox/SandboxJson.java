package io.bulkreg.sandbox;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the sandbox (immutable, thread-safe). */
final class SandboxJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SandboxJson() {
    }
}
