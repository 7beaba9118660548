package io.bulkreg.lot;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/**
 * Says what a record that is not UTF-8 probably is. Excel's plain "CSV" and most Windows tools write
 * Windows-1252 (a superset of ISO-8859-1's printable characters); reading its umlauts as UTF-8 fails, and the
 * operator needs to be told that the file, not the line, is the problem and how to fix it. A hand-written
 * check is enough for this one case: a charset detection library would guess among dozens we never see.
 */
final class LegacyEncoding {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int MAX_SHOWN = 40;

    private LegacyEncoding() {
    }

    /**
     * @return "" when the record is no valid Windows-1252 either (then it is damaged, not re-encoded); else a
     * sentence, starting with "; ", that shows the field as Windows-1252 and how to re-save the file
     */
    static String hint(byte[] bytes, int length, int invalidOffset, int separator) {
        int start = invalidOffset;
        while (start > 0 && !isBoundary(bytes[start - 1], separator)) {
            start--;
        }
        int end = invalidOffset;
        while (end < length && !isBoundary(bytes[end], separator)) {
            end++;
        }
        String field;
        try {
            field = WINDOWS_1252.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            return "";
        }
        if (field.codePointCount(0, field.length()) > MAX_SHOWN) {
            field = field.substring(0, field.offsetByCodePoints(0, MAX_SHOWN)) + "…";
        }
        return "; the file looks like Windows-1252 (it would read '" + field + "'): re-save it as UTF-8 (Excel: "
                + "\"CSV UTF-8\"), or set bulkreg.lots.charset=windows-1252 for this inbox";
    }

    private static boolean isBoundary(byte b, int separator) {
        return b == separator || b == '"' || b == '\r' || b == '\n';
    }
}
