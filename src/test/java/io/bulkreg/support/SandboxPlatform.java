package io.bulkreg.support;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** Spring properties that point a run of the job at a sandbox started by the test, with quick retries. */
public final class SandboxPlatform {

    private SandboxPlatform() {
    }

    public static Map<String, Object> properties(McsSandbox sandbox, SandboxSettings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bulkreg.mcs.base-url", sandbox.baseUrl());
        p.put("bulkreg.mcs.token", settings.token());
        p.put("bulkreg.mcs.read-timeout", "5s");
        p.put("bulkreg.faults.initial-backoff", "10ms");
        p.put("bulkreg.faults.max-backoff", "50ms");
        p.put("bulkreg.faults.retry-after-cap", "100ms");
        return p;
    }
}
