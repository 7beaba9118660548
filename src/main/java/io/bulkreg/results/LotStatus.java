package io.bulkreg.results;

/** Where one lot stands. {@code inputErrors}: lines of its files that never became a device row. */
public record LotStatus(String lotId, long total, long registered, long rejected, long inDoubt, long pending,
        long inFlight, long inputErrors) {
}
