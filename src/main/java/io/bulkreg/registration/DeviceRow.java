package io.bulkreg.registration;

import io.bulkreg.mcs.DeviceRequest;

/** A device_registration row on its way to the platform. {@code source} is "file:line" for imported rows. */
public record DeviceRow(long id, String lotId, String prodId, String name, boolean isTest, String serial,
        String description, String source) {

    public DeviceRequest toRequest() {
        return new DeviceRequest(prodId, name, isTest, description, serial);
    }
}
