package io.bulkreg.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Sealing deviceKeys and kept answers at rest: what opens, what refuses to, and what a refusal says. */
class DeviceKeyVaultTest {

    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(
            StandardCharsets.US_ASCII));
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(
            StandardCharsets.US_ASCII));

    final DeviceKeyVault vault = new DeviceKeyVault(new CryptoProperties(KEY, null, "k1"));

    @Test
    void givenAConfiguredKey_whenADeviceKeyIsSealed_thenItIsEncryptedAndOpensOnItsRow() {
        DeviceKeyVault.Sealed sealed = vault.seal("device-key-secret", 42);

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.value()).doesNotContain("device-key-secret");
        assertThat(vault.open(sealed.value(), sealed.keyId(), 42)).isEqualTo("device-key-secret");
    }

    @Test
    void givenASealedDeviceKey_whenOpenedOnAnotherRow_thenItRefusesNamingTheRowAndNotTheValue() {
        DeviceKeyVault.Sealed sealed = vault.seal("device-key-secret", 42);

        assertThatThrownBy(() -> vault.open(sealed.value(), sealed.keyId(), 43))
                .hasMessageContaining("row 43").hasMessageContaining("moved from another row")
                .hasMessageNotContaining(sealed.value()).hasMessageNotContaining("device-key-secret");
    }

    @Test
    void givenAValueSealedUnderAnotherKeyId_whenOpened_thenItAsksForThatKey() {
        DeviceKeyVault.Sealed sealed = new DeviceKeyVault(new CryptoProperties(OTHER_KEY, null, "k0")).seal("secret", 1);

        assertThatThrownBy(() -> vault.open(sealed.value(), sealed.keyId(), 1))
                .hasMessageContaining("key id 'k0'").hasMessageContaining("bulkreg.crypto.key-id=k0");
    }

    @Test
    void givenTheSameKeyIdWithAnotherKey_whenOpened_thenItRefusesAsAWrongKey() {
        DeviceKeyVault.Sealed sealed = new DeviceKeyVault(new CryptoProperties(OTHER_KEY, null, "k1")).seal("secret", 1);

        assertThatThrownBy(() -> vault.open(sealed.value(), sealed.keyId(), 1)).hasMessageContaining("wrong key");
    }

    @Test
    void givenNoConfiguredKey_whenADeviceKeyIsSealed_thenItPassesThroughWithoutAKeyId() {
        DeviceKeyVault plain = new DeviceKeyVault(new CryptoProperties(null, null, "k1"));

        DeviceKeyVault.Sealed sealed = plain.seal("secret", 1);

        assertThat(sealed).isEqualTo(new DeviceKeyVault.Sealed("secret", null));
        assertThat(plain.open("secret", null, 1)).isEqualTo("secret");
    }

    @Test
    void givenAKeptAnswer_whenOpenedUnderItsRequest_thenItIsTheBodyAndUnderAnotherItRefuses() {
        byte[] body = "{\"results\":[{\"deviceKey\":\"k\"}]}".getBytes(StandardCharsets.UTF_8);

        DeviceKeyVault.Sealed sealed = vault.sealAnswer(body, "request-1");

        assertThat(vault.openAnswer(sealed.value(), sealed.keyId(), "request-1")).isEqualTo(body);
        assertThatThrownBy(() -> vault.openAnswer(sealed.value(), sealed.keyId(), "request-2"))
                .hasMessageContaining("request request-2").hasMessageContaining("moved from another request");
    }

    @Test
    void givenASealedDeviceKey_whenOpenedAsAKeptAnswerOfARequestNamedLikeItsRow_thenItRefuses() {
        DeviceKeyVault.Sealed sealed = vault.seal("secret", 7);

        assertThatThrownBy(() -> vault.openAnswer(sealed.value(), sealed.keyId(), "7")).isInstanceOf(IllegalStateException.class);
    }
}
