package io.bulkreg.device;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Seals deviceKeys before they are stored and opens them for export: AES-GCM with a fresh 96-bit IV per
 * value and the key id and row id as associated data, so a value cannot be opened under another key id or on
 * another row unnoticed.
 * Without a configured key, values pass through unchanged (key id null).
 */
@Component
public class DeviceKeyVault {

    public record Sealed(String value, String keyId) {
        @Override
        public String toString() {
            return "Sealed[value=***, keyId=" + keyId + "]";
        }
    }

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final CryptoProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    public DeviceKeyVault(CryptoProperties properties) {
        this.properties = properties;
        this.key = properties.enabled() ? new SecretKeySpec(properties.keyBytes(), "AES") : null;
    }

    /** @param registrationId bound into the seal with the key id, so a value moved to another row fails to open */
    public Sealed seal(String deviceKey, long registrationId) {
        if (key == null || deviceKey == null) {
            return new Sealed(deviceKey, null);
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(properties.keyId(), registrationId));
            byte[] sealed = cipher.doFinal(deviceKey.getBytes(StandardCharsets.UTF_8));
            return new Sealed(Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length)
                    .put(iv).put(sealed).array()), properties.keyId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a deviceKey: " + e.getClass().getSimpleName());
        }
    }

    /** @throws IllegalStateException naming the row's key id when it was sealed under another key */
    public String open(String value, String keyId, long registrationId) {
        if (keyId == null) {
            return value;
        }
        if (key == null || !keyId.equals(properties.keyId())) {
            throw new IllegalStateException("a deviceKey is encrypted with key id '" + keyId + "': configure that key "
                    + "(bulkreg.crypto.key or key-file, bulkreg.crypto.key-id=" + keyId + ")");
        }
        try {
            byte[] all = Base64.getDecoder().decode(value);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(associatedData(keyId, registrationId));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored deviceKey of row " + registrationId + " under key id '" + keyId
                    + "' cannot be decrypted: wrong key, or the value was altered or moved from another row");
        }
    }

    private static byte[] associatedData(String keyId, long registrationId) {
        return (keyId + "/" + registrationId).getBytes(StandardCharsets.UTF_8);
    }
}
