package io.bulkreg.sandbox;

import java.time.Instant;

/**
 * A device the sandbox registered, with its strings exactly as received. Holds the key so tests can compare it
 * with what the client kept; {@link #toString()} masks it like the real credential does.
 */
public record SandboxDevice(int requestNo, String prodId, String name, boolean isTest, String description,
                            String serial, String deviceId, String deviceKey, String chipName, Instant registeredAt) {

    @Override
    public String toString() {
        return "SandboxDevice[requestNo=" + requestNo + ", prodId=" + prodId + ", name=" + name + ", isTest=" + isTest
                + ", serial=" + serial + ", deviceId=" + deviceId + ", deviceKey=***, chipName=" + chipName
                + ", registeredAt=" + registeredAt + "]";
    }
}
