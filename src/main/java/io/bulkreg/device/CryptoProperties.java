package io.bulkreg.device;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Optional encryption of device_key at rest ({@code bulkreg.crypto.*}): a 256-bit AES key, base64, from
 * {@code key} (BULKREG_CRYPTO_KEY) or {@code key-file} (a Secret mount). Unset: keys are stored as issued.
 */
@Validated
@ConfigurationProperties("bulkreg.crypto")
public record CryptoProperties(String key, Path keyFile, @DefaultValue("k1") @NotBlank String keyId) {

    public boolean enabled() {
        return (key != null && !key.isBlank()) || keyFile != null;
    }

    @AssertTrue(message = "bulkreg.crypto.key / key-file must hold a base64 AES key of 32 bytes")
    public boolean isKeyValid() {
        if (!enabled()) {
            return true;
        }
        try {
            return keyBytes().length == 32;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public byte[] keyBytes() {
        String text;
        if (keyFile != null) {
            try {
                text = Files.readString(keyFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the encryption key file " + keyFile, e);
            }
        } else {
            text = key;
        }
        return Base64.getDecoder().decode(text.strip());
    }

    @Override
    public String toString() {
        return "CryptoProperties[key=" + (enabled() ? "***" : "unset") + ", keyId=" + keyId + "]";
    }
}
