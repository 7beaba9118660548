package io.bulkreg.results;

/**
 * Where one lot stands. {@code inputErrors}: lines of its files that never became a device row. {@code platform}: the
 * platforms its devices were sent to, as recorded ({@code registration_request.platform}), separated by ", ";
 * empty when none was sent or the requests predate the record.
 */
public record LotStatus(String lotId, long total, long registered, long rejected, long inDoubt, long pending,
        long inFlight, long inputErrors, String platform) {
}
