package io.bulkreg.device;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The platform's rules for one device, checked before anything is sent so that an invalid device costs
 * no request. Used by the lot import (with file and line) and by the registration step (rows from upstream).
 */
public final class DeviceRules {

    /** NOTES.md: serials are letters and digits, under 50 characters. */
    public static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9]{1,49}");
    public static final int MAX_LOT_ID = 100;
    public static final int MAX_PROD_ID = 100;
    public static final int MAX_NAME = 1000;
    public static final int MAX_DESCRIPTION = 4000;

    /** What is wrong with one field. */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private DeviceRules() {
    }

    public static Optional<Violation> check(String lotId, String prodId, String name, String serial, String description) {
        if (isBlank(lotId)) {
            return violation("lot", "is required");
        }
        if (length(lotId) > MAX_LOT_ID) {
            return violation("lot", "is longer than " + MAX_LOT_ID + " characters");
        }
        if (isBlank(prodId)) {
            return violation("prodId", "is required");
        }
        if (length(prodId) > MAX_PROD_ID) {
            return violation("prodId", "is longer than " + MAX_PROD_ID + " characters");
        }
        if (isBlank(name)) {
            return violation("name", "is required");
        }
        if (length(name) > MAX_NAME) {
            return violation("name", "is longer than " + MAX_NAME + " characters (" + length(name) + ")");
        }
        if (description != null && length(description) > MAX_DESCRIPTION) {
            return violation("description", "is longer than " + MAX_DESCRIPTION + " characters (" + length(description) + ")");
        }
        if (serial != null && !SERIAL.matcher(serial).matches()) {
            return violation("serial", "must be 1 to 49 letters and digits (A-Z, a-z, 0-9), found "
                    + (length(serial) > 60 ? length(serial) + " characters" : "'" + serial + "'"));
        }
        return Optional.empty();
    }

    public static Optional<Violation> check(DeviceRow row) {
        return check(row.lotId(), row.prodId(), row.name(), row.serial(), row.description());
    }

    /** {@code isTest} must be a real boolean: "true" or "false", any case; nothing else is guessed at. */
    public static Optional<Boolean> parseBoolean(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.equalsIgnoreCase("true")) {
            return Optional.of(Boolean.TRUE);
        }
        if (t.equalsIgnoreCase("false")) {
            return Optional.of(Boolean.FALSE);
        }
        return Optional.empty();
    }

    private static Optional<Violation> violation(String field, String message) {
        return Optional.of(new Violation(field, message));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Characters as the database counts them (code points, not UTF-16 units). */
    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
