package io.bulkreg.mcs;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the credentials of a 200 answer. Any doubt (not JSON, a credential without id or key, a count that differs
 * from the request's) is reported as a failure reason: the devices were probably registered, so the caller must
 * not guess which credential belongs to which device.
 */
final class CredentialsReader {

    static final String DEVICE_ID = "deviceId";
    static final String DEVICE_KEY = "deviceKey";
    /** The spelling of registerDevice.md's example; the platform may answer it, so it is read like the other. */
    static final String DEVICE_KEY_TYPO = "deivceKey";
    static final String CHIP_NAME = "chipName";
    static final String CREDENTIALS = "credentials";

    /** Either credentials or the reason they cannot be trusted. */
    record Result(List<Credential> credentials, String failure) {

        static Result failed(String failure) {
            return new Result(null, failure);
        }
    }

    Result bulk(byte[] body, int expected) {
        JsonNode root = readObject(body);
        if (root == null) {
            return Result.failed("HTTP 200 but the answer is not a JSON object");
        }
        JsonNode array = root.get(CREDENTIALS);
        if (array == null || !array.isArray()) {
            return Result.failed("HTTP 200 but the answer has no credentials array");
        }
        if (array.size() != expected) {
            return Result.failed("HTTP 200 with " + array.size() + " credential(s) for " + expected + " device(s)");
        }
        List<Credential> credentials = new ArrayList<>(expected);
        for (int i = 0; i < array.size(); i++) {
            String failure = missing(array.get(i));
            if (failure != null) {
                return Result.failed("HTTP 200 but credential " + (i + 1) + " of " + expected + " " + failure);
            }
            credentials.add(new Credential(McsJson.text(array.get(i), DEVICE_ID), key(array.get(i)), null));
        }
        return new Result(List.copyOf(credentials), null);
    }

    Result single(byte[] body) {
        JsonNode root = readObject(body);
        if (root == null) {
            return Result.failed("HTTP 200 but the answer is not a JSON object");
        }
        String failure = missing(root);
        if (failure != null) {
            return Result.failed("HTTP 200 but the single-device answer " + failure);
        }
        return new Result(List.of(new Credential(McsJson.text(root, DEVICE_ID), key(root), McsJson.text(root, CHIP_NAME))), null);
    }

    /**
     * What a kept answer carried, read leniently: every entry with a deviceId and one key, whatever the count; an
     * entry without either is counted as unusable. The credentials array of the bulk answer, or the single-device
     * answer's object.
     */
    AnswerCredentials.Carried carried(byte[] body) {
        JsonNode root = readObject(body);
        if (root == null) {
            return new AnswerCredentials.Carried(List.of(), 0, 0);
        }
        JsonNode array = root.get(CREDENTIALS);
        List<JsonNode> entries = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(entries::add);
        } else {
            entries.add(root);
        }
        List<Credential> usable = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (missing(entry) == null) {
                usable.add(new Credential(McsJson.text(entry, DEVICE_ID), key(entry), McsJson.text(entry, CHIP_NAME)));
            }
        }
        return new AnswerCredentials.Carried(List.copyOf(usable), entries.size(), entries.size() - usable.size());
    }

    private static JsonNode readObject(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode root = McsJson.MAPPER.readTree(body);
            return root != null && root.isObject() ? root : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Why this credential cannot be used, or null. */
    private static String missing(JsonNode credential) {
        if (credential == null || !credential.isObject()) {
            return "is not an object";
        }
        if (McsJson.text(credential, DEVICE_ID) == null) {
            return "has no deviceId";
        }
        String key = McsJson.text(credential, DEVICE_KEY);
        String typo = McsJson.text(credential, DEVICE_KEY_TYPO);
        if (key == null && typo == null) {
            return "has no deviceKey";
        }
        if (key != null && typo != null && !key.equals(typo)) {
            return "has two different keys";
        }
        return null;
    }

    private static String key(JsonNode credential) {
        String key = McsJson.text(credential, DEVICE_KEY);
        return key != null ? key : McsJson.text(credential, DEVICE_KEY_TYPO);
    }
}
