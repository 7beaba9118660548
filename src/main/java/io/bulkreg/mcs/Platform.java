package io.bulkreg.mcs;

import java.net.URI;

/**
 * The platform one run sends to, and why: the configured address, or the built-in sandbox asked for by name, or the
 * built-in sandbox of the zero-configuration demo.
 */
public record Platform(Kind kind, URI endpoint) {

    /** How requests to the built-in sandbox are recorded: its address changes with every process. */
    public static final String BUILT_IN_SANDBOX = "built-in sandbox";

    public enum Kind {
        CONFIGURED, SANDBOX_ASKED, SANDBOX_DEMO
    }

    public static Platform configured(URI endpoint) {
        return new Platform(Kind.CONFIGURED, endpoint);
    }

    public static Platform sandbox(Kind why) {
        return new Platform(why, null);
    }

    public boolean isSandbox() {
        return kind != Kind.CONFIGURED;
    }

    /** The name {@code registration_request.platform} records for each request sent to this platform. */
    public String recordedAs() {
        return isSandbox() ? BUILT_IN_SANDBOX : endpoint.toString();
    }
}
