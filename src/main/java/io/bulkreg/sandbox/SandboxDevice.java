package io.bulkreg.sandbox;

import java.time.Instant;

/**
 * A device the sandbox registered, with its strings exactly as received. Holds the key so tests can compare it
 * with what the client kept; {@link #toString()} masks it like the real credential does.
 */
public record SandboxDevice(int requestNo, String prodId, String name, boolean isTest, String description,
                            String serial, String deviceId, String deviceKey, String chipName, Instant registeredAt) {

    /** The same device with another key: what a platform's answer may say, not what it holds. */
    SandboxDevice withDeviceKey(String key) {
        return new SandboxDevice(requestNo, prodId, name, isTest, description, serial, deviceId, key, chipName, registeredAt);
    }

    @Override
    public String toString() {
        return "SandboxDevice[requestNo=" + requestNo + ", prodId=" + prodId + ", name=" + name + ", isTest=" + isTest
                + ", serial=" + serial + ", deviceId=" + deviceId + ", deviceKey=***, chipName=" + chipName
                + ", registeredAt=" + registeredAt + "]";
    }
}
