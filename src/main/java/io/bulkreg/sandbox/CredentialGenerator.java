package io.bulkreg.sandbox;

import java.security.SecureRandom;

/** Random alphanumeric ids and keys; SecureRandom because keys are secrets even in a sandbox. */
final class CredentialGenerator {

    static final int DEVICE_ID_LENGTH = 10;
    static final int DEVICE_KEY_LENGTH = 24;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random = new SecureRandom();

    String deviceId() {
        return random(DEVICE_ID_LENGTH);
    }

    String deviceKey(int length) {
        return random(length);
    }

    private String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
