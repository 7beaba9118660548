package io.bulkreg.mcs;

/**
 * What the platform issued for one device. The key is issued once: it is never printed, so
 * {@link #toString()} masks it. {@code chipName} is only answered by the single-device API revision.
 */
public record Credential(String deviceId, String deviceKey, String chipName) {

    @Override
    public String toString() {
        return "Credential[deviceId=" + deviceId + ", deviceKey=***" + (chipName == null ? "" : ", chipName=" + chipName) + "]";
    }
}
