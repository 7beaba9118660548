package io.bulkreg.mcs;

/**
 * One device as the registerDevice body carries it. {@code description} and {@code serial} are optional
 * (null means "leave the field out of the JSON").
 */
public record DeviceRequest(String prodId, String name, boolean isTest, String description, String serial) {
}
