package io.bulkreg.mcs;

/**
 * A device as the platform describes it when read by id ({@code GET /mcs/v2/devices/{id,...}}): never its key.
 * {@code serial} and {@code chipName} are null when the platform does not answer them.
 */
public record PlatformDevice(String deviceId, String prodId, String name, String serial, String chipName) {
}
