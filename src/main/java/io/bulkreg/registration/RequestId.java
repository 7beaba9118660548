package io.bulkreg.registration;

import java.util.Objects;
import java.util.UUID;

/** The id of one registerDevice request, written ahead ({@code registration_request.request_id}). */
public record RequestId(String value) {

    public RequestId {
        Objects.requireNonNull(value, "value");
    }

    public static RequestId random() {
        return new RequestId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
