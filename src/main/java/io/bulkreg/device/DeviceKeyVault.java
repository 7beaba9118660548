package io.bulkreg.device;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
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
        return new Sealed(encrypt(deviceKey.getBytes(StandardCharsets.UTF_8),
                associatedData(properties.keyId(), registrationId), "a deviceKey"), properties.keyId());
    }

    /** @throws IllegalStateException naming the row's key id when it was sealed under another key */
    public String open(String value, String keyId, long registrationId) {
        if (keyId == null) {
            return value;
        }
        requireKey(keyId, "a deviceKey");
        byte[] plain = decrypt(value, associatedData(keyId, registrationId), () -> "the stored deviceKey of row "
                + registrationId + " under key id '" + keyId + "' cannot be decrypted: wrong key, or the value was "
                + "altered or moved from another row");
        return new String(plain, StandardCharsets.UTF_8);
    }

    /**
     * Seals an answer the job keeps (it may carry issued keys): AES-GCM like a deviceKey, bound to the key id and the
     * request the answer belongs to, so a body moved to another request fails to open. Stored as base64 either way:
     * without a configured key it is the body's bytes as received, not encrypted (as device_key is then stored).
     */
    public Sealed sealAnswer(byte[] body, String requestId) {
        if (key == null) {
            return new Sealed(Base64.getEncoder().encodeToString(body), null);
        }
        return new Sealed(encrypt(body, answerAssociatedData(properties.keyId(), requestId), "a kept answer"),
                properties.keyId());
    }

    /** @throws IllegalStateException naming the key id when the answer was sealed under another key, or altered */
    public byte[] openAnswer(String value, String keyId, String requestId) {
        if (keyId == null) {
            return Base64.getDecoder().decode(value);
        }
        requireKey(keyId, "a kept answer");
        return decrypt(value, answerAssociatedData(keyId, requestId), () -> "the kept answer of request " + requestId
                + " under key id '" + keyId + "' cannot be decrypted: wrong key, or the value was altered or moved from "
                + "another request");
    }

    private void requireKey(String keyId, String what) {
        if (key == null || !keyId.equals(properties.keyId())) {
            throw new IllegalStateException(what + " is encrypted with key id '" + keyId + "': configure that key "
                    + "(bulkreg.crypto.key or key-file, bulkreg.crypto.key-id=" + keyId + ")");
        }
    }

    /** Base64 of a fresh IV followed by the AES-GCM cipher text and tag. */
    private String encrypt(byte[] plain, byte[] associatedData, String what) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plain);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed)
                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt " + what + ": " + e.getClass().getSimpleName());
        }
    }

    /** The message names what failed to open, never the value. */
    private byte[] decrypt(String value, byte[] associatedData, Supplier<String> failure) {
        try {
            byte[] all = Base64.getDecoder().decode(value);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(failure.get());
        }
    }

    private static byte[] associatedData(String keyId, long registrationId) {
        return (keyId + "/" + registrationId).getBytes(StandardCharsets.UTF_8);
    }

    /** "answer/" keeps these apart from a deviceKey's associated data (a row id is a number). */
    private static byte[] answerAssociatedData(String keyId, String requestId) {
        return (keyId + "/answer/" + requestId).getBytes(StandardCharsets.UTF_8);
    }
}
