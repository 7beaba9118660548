package io.bulkreg.lot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a file in another charset (UTF-16, a configured legacy one) into UTF-8 bytes for {@link CsvRecordReader},
 * streaming. Bytes that are no character of the charset become 0xFF, which is never valid UTF-8: the record
 * holding them is refused with its line number, as a damaged UTF-8 line is, instead of being silently altered
 * (the JDK's readers would substitute U+FFFD) or failing the whole file.
 */
final class Utf8Transcoder extends InputStream {

    private static final int INVALID_IN_UTF8 = 0xFF;
    private static final int CHUNK = 16 * 1024;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytesIn = ByteBuffer.allocate(CHUNK).flip();
    private final CharBuffer chars = CharBuffer.allocate(CHUNK);
    private byte[] out = new byte[0];
    private int outPosition;
    private boolean endOfInput;
    private boolean done;

    Utf8Transcoder(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPosition == out.length) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, out.length - outPosition);
        System.arraycopy(out, outPosition, b, off, n);
        outPosition += n;
        return n;
    }

    private boolean fill() throws IOException {
        ByteArrayOutputStream produced = new ByteArrayOutputStream();
        while (produced.size() == 0 && !done) {
            if (!endOfInput) {
                bytesIn.compact();
                int n = in.read(bytesIn.array(), bytesIn.position(), bytesIn.remaining());
                if (n < 0) {
                    endOfInput = true;
                } else {
                    bytesIn.position(bytesIn.position() + n);
                }
                bytesIn.flip();
            }
            chars.clear();
            CoderResult result = decoder.decode(bytesIn, chars, endOfInput);
            writeChars(produced);
            if (result.isError()) {
                bytesIn.position(bytesIn.position() + result.length());
                produced.write(INVALID_IN_UTF8);
            } else if (endOfInput && result.isUnderflow()) {
                chars.clear();
                decoder.flush(chars);
                writeChars(produced);
                done = true;
            }
        }
        out = produced.toByteArray();
        outPosition = 0;
        return out.length > 0;
    }

    private void writeChars(ByteArrayOutputStream produced) {
        chars.flip();
        if (chars.hasRemaining()) {
            produced.writeBytes(chars.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
