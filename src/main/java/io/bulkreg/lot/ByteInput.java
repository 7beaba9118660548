package io.bulkreg.lot;

import java.io.IOException;
import java.io.InputStream;

/**
 * Buffered, unsynchronised byte source with one byte of look-ahead.
 * Exists because the CSV scanner reads byte by byte: going through
 * BufferedInputStream would cost a lock per byte on multi-GB files.
 */
final class ByteInput implements AutoCloseable {

    static final int EOF = -1;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;
    private boolean started;

    ByteInput(InputStream in) {
        this.in = in;
    }

    /** Bytes given back to be read again before the stream's next ones; empty when none. */
    private byte[] replay = new byte[0];
    private int replayPosition;

    int read() throws IOException {
        if (replayPosition < replay.length) {
            return replay[replayPosition++] & 0xFF;
        }
        if (position == limit && !refill()) {
            return EOF;
        }
        return buffer[position++] & 0xFF;
    }

    int peek() throws IOException {
        if (replayPosition < replay.length) {
            return replay[replayPosition] & 0xFF;
        }
        if (position == limit && !refill()) {
            return EOF;
        }
        return buffer[position] & 0xFF;
    }

    /**
     * Gives back {@code length} bytes of {@code bytes} from {@code from}, then {@code tail}, to be read again before
     * anything not read yet (bytes given back earlier and not read again included).
     */
    void giveBack(byte[] bytes, int from, int length, byte[] tail) {
        int pending = replay.length - replayPosition;
        byte[] again = new byte[length + tail.length + pending];
        System.arraycopy(bytes, from, again, 0, length);
        System.arraycopy(tail, 0, again, length, tail.length);
        System.arraycopy(replay, replayPosition, again, length + tail.length, pending);
        replay = again;
        replayPosition = 0;
    }

    /**
     * Consumes {@code prefix} if the stream starts with it. Only meaningful before the
     * first read; used for the byte order mark.
     */
    boolean skipStart(byte[] prefix) throws IOException {
        if (started) {
            return false;
        }
        started = true;
        while (limit < prefix.length) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                break;
            }
            limit += n;
        }
        if (limit < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[i] != prefix[i]) {
                return false;
            }
        }
        position = prefix.length;
        return true;
    }

    private boolean refill() throws IOException {
        started = true;
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
