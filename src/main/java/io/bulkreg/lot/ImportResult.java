package io.bulkreg.lot;

/**
 * What importing one lot file did.
 *
 * @param linesAlreadyThere lines identical to a device imported before (a corrected or cumulative file): not errors
 * @param linesSkipped      lines not imported, each with a registration_skip row; {@code conflicts} of them
 *                          because a device with the same identity but other content is already in the table
 * @param format            how the file was read; null when it was not read (refused, or not taken yet)
 */
public record ImportResult(String file, Outcome outcome, int linesRead, int devicesImported, int linesAlreadyThere,
        int linesSkipped, int conflicts, LotFormat format, String message) {

    public enum Outcome {
        IMPORTED,
        /** The same content was imported before: nothing added. */
        ALREADY_IMPORTED,
        /** Not a lot file (wrong header, empty, binary): nothing imported; recorded in refused_lot_file. */
        REFUSED,
        /** The file changed while it was imported: nothing imported, the next run takes it. */
        NOT_TAKEN_YET
    }

    static ImportResult refused(String file, String reason) {
        return new ImportResult(file, Outcome.REFUSED, 0, 0, 0, 0, 0, null, reason);
    }

    static ImportResult notTakenYet(String file, String message) {
        return new ImportResult(file, Outcome.NOT_TAKEN_YET, 0, 0, 0, 0, 0, null, message);
    }

    static ImportResult alreadyImported(String file, String message) {
        return new ImportResult(file, Outcome.ALREADY_IMPORTED, 0, 0, 0, 0, 0, null, message);
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case IMPORTED -> file + ": imported " + devicesImported + " devices from " + linesRead + " lines"
                    + (linesAlreadyThere > 0 ? ", " + linesAlreadyThere + " already there (imported before, same content)" : "")
                    + (linesSkipped > 0 ? ", " + linesSkipped + " lines skipped (" + (conflicts > 0 ? conflicts
                    + " conflicting with devices imported before; " : "") + "see registration_skip)" : "")
                    + (linesRead == 0 ? " (the file has a header but no devices)" : "")
                    + "; " + format;
            case ALREADY_IMPORTED -> file + ": " + message + ", nothing added";
            case REFUSED -> file + ": refused, nothing imported: " + message;
            case NOT_TAKEN_YET -> message;
        };
    }
}
