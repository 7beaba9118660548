package io.bulkreg.registration;

/** A credential as stored on its device_registration row: {@code deviceKey} sealed under {@code keyId} (null: as issued). */
public record StoredCredential(long registrationId, String deviceId, String deviceKey, String keyId, String chipName) {

    @Override
    public String toString() {
        return "StoredCredential[registrationId=" + registrationId + ", deviceId=" + deviceId + ", deviceKey=***]";
    }
}
