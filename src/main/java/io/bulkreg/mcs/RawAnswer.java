package io.bulkreg.mcs;

/**
 * An answer exactly as the platform sent it, kept because the job could not use it whole (a 200 with fewer
 * credentials than devices, an entry without deviceId, a 201): it may carry keys the platform issued once, so the
 * body is never printed ({@link #toString()} shows its size only) and is stored sealed, like a deviceKey.
 */
public record RawAnswer(int httpStatus, byte[] body) {

    public RawAnswer {
        if (body == null || body.length == 0) {
            throw new IllegalArgumentException("a kept answer has a body");
        }
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "RawAnswer[httpStatus=" + httpStatus + ", body=" + body.length + " bytes]";
    }
}
