package io.bulkreg.mcs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Reads the credentials of a 200 answer. Any doubt (not JSON, a credential without id or key, a count that differs
 * from the request's, a deviceId or deviceKey answered twice) is reported as a failure reason: the devices were probably registered, so the caller must
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
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String failure = missing(array.get(i));
            if (failure != null) {
                return Result.failed("HTTP 200 but credential " + (i + 1) + " of " + expected + " " + failure);
            }
            Credential credential = new Credential(McsJson.text(array.get(i), DEVICE_ID), key(array.get(i)), null);
            // Paired with the devices by position: one credential twice means another device's is not there, and
            // neither copy can be told to belong to its position (the values stay out of the reason: a key is secret).
            Integer sameId = ids.putIfAbsent(credential.deviceId(), i);
            if (sameId != null) {
                return Result.failed(twice(sameId, i, expected, "deviceId"));
            }
            Integer sameKey = keys.putIfAbsent(credential.deviceKey(), i);
            if (sameKey != null) {
                return Result.failed(twice(sameKey, i, expected, "deviceKey"));
            }
            credentials.add(credential);
        }
        return new Result(List.copyOf(credentials), null);
    }

    private static String twice(int first, int second, int expected, String field) {
        return "HTTP 200 but credentials " + (first + 1) + " and " + (second + 1) + " of " + expected + " carry the same "
                + field;
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
        List<JsonNode> entries = new ArrayList<>();
        if (root == null) {
            // Not a whole JSON object: an answer cut short keeps the entries that arrived complete.
            entries.addAll(completeEntries(body));
        } else {
            JsonNode array = root.get(CREDENTIALS);
            if (array != null && array.isArray()) {
                array.forEach(entries::add);
            } else {
                entries.add(root);
            }
        }
        List<Credential> usable = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (missing(entry) == null) {
                usable.add(new Credential(McsJson.text(entry, DEVICE_ID), key(entry), McsJson.text(entry, CHIP_NAME)));
            }
        }
        return new AnswerCredentials.Carried(List.copyOf(usable), entries.size(), entries.size() - usable.size());
    }

    /**
     * The entries of a bulk answer's credentials array that arrived whole before the body broke off (read as a
     * stream up to the break); none when the body is not the start of such an answer.
     */
    private static List<JsonNode> completeEntries(byte[] body) {
        List<JsonNode> entries = new ArrayList<>();
        if (body == null || body.length == 0) {
            return entries;
        }
        try (JsonParser parser = McsJson.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return entries;
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (CREDENTIALS.equals(name) && value == JsonToken.START_ARRAY) {
                    // One entry at a time: the array goes on after each (no "trailing tokens" check here).
                    ObjectReader entry = McsJson.MAPPER.readerFor(JsonNode.class)
                            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        entries.add(entry.readValue(parser));
                    }
                    return entries;
                }
                parser.skipChildren();
            }
        } catch (JacksonException cutShort) {
            // The break: the entries read whole before it are kept.
        }
        return entries;
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
