package io.bulkreg.results;

/**
 * Where one lot stands. {@code heldByPlatform}: devices the platform already holds (refused as registered when resent
 * after a doubt: registered there, their keys not here), counted apart as the run's summary counts them;
 * {@code rejected}: the other devices that ended REJECTED (refused by the platform, refused by the job's own rules
 * before sending, or given up by {@code resolve-in-doubt --reject}). {@code inputErrors}: lines of its files that never
 * became a device row. {@code platform}: the platforms its devices were sent to, as recorded
 * ({@code registration_request.platform}), separated by ", "; empty when none was sent or the requests predate the
 * record.
 */
public record LotStatus(String lotId, long total, long registered, long rejected, long heldByPlatform, long inDoubt,
        long pending, long inFlight, long inputErrors, String platform) {
}
