package io.bulkreg.mcs;

import java.util.List;

/** Reads the credentials a kept answer carried ({@link RawAnswer}), for {@code reconcile}. */
public final class AnswerCredentials {

    /**
     * @param credentials the entries with a deviceId and one key, in answer order
     * @param entries     how many entries the answer had (0 when it is not JSON)
     * @param unusable    entries without a deviceId or a key, or with two different keys
     */
    public record Carried(List<Credential> credentials, int entries, int unusable) {
    }

    private AnswerCredentials() {
    }

    public static Carried read(byte[] body) {
        return new CredentialsReader().carried(body);
    }
}
