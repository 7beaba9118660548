package io.bulkreg.sandbox;

/**
 * A device as a POST carried it, whatever the answer: what tests count to see that no device was sent twice (a
 * device without serial registered twice cannot be told apart on the platform; its sending can). Null: absent.
 */
public record SentDevice(String prodId, String name, String serial) {
}
