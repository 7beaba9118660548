package io.bulkreg.lot;

/** What importing one lot file did. */
public record ImportResult(String file, Outcome outcome, int linesRead, int devicesImported, int linesSkipped,
        String message) {

    public enum Outcome {
        IMPORTED,
        /** The same content was imported before: nothing added. */
        ALREADY_IMPORTED,
        /** Not a lot file (wrong header, empty, binary): nothing imported. */
        REFUSED
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case IMPORTED -> file + ": imported " + devicesImported + " devices from " + linesRead + " lines"
                    + (linesSkipped > 0 ? ", " + linesSkipped + " lines skipped (see registration_skip)" : "");
            case ALREADY_IMPORTED -> file + ": " + message + ", nothing added";
            case REFUSED -> file + ": refused, nothing imported: " + message;
        };
    }
}
