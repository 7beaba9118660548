package io.bulkreg.mcs;

/**
 * Reading devices by id failed (token refused, platform unreachable, an answer that cannot be read). The message
 * names the HTTP status or the transport failure, never the token, an id list or a body.
 */
public class DeviceReadException extends RuntimeException {

    public DeviceReadException(String message) {
        super(message);
    }
}
