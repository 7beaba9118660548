package io.bulkreg.lot;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Finds the first byte that is not valid UTF-8. The JDK's String constructor silently
 * substitutes U+FFFD, which would let corrupt device names through; a REPORT decoder
 * tells us where the damage is so the operator can find it in the file.
 */
final class StrictUtf8 {

    static final int VALID = -1;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer scratch = CharBuffer.allocate(0);

    /** @return offset of the first invalid byte within {@code bytes[0, length)}, or {@link #VALID} */
    int firstInvalidOffset(byte[] bytes, int length) {
        if (isAscii(bytes, length)) {
            return VALID;
        }
        // UTF-8 never yields more chars than bytes, so one pass always fits.
        if (scratch.capacity() < length) {
            scratch = CharBuffer.allocate(length);
        }
        scratch.clear();
        ByteBuffer input = ByteBuffer.wrap(bytes, 0, length);
        decoder.reset();
        CoderResult result = decoder.decode(input, scratch, true);
        if (result.isError()) {
            return input.position();
        }
        result = decoder.flush(scratch);
        return result.isError() ? input.position() : VALID;
    }

    private static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
