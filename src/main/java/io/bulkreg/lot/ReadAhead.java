package io.bulkreg.lot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Reads a lot file's lines and prepares them (normalised, hashed) on a thread of its own, in chunks, while the import
 * writes the chunk before: the parsing and the hashing run on the other core during the database's work instead of
 * between its statements. At most {@link #AHEAD} chunk waits besides the one being filled, and a chunk ends at its
 * number of lines or at {@link #CHUNK_CHARS} characters of text, whichever comes first: what the read-ahead holds is
 * bounded whatever the size of the file or of its records (a file of records at the maximum size holds a few MB, not
 * thousands of records). What the reading throws is thrown by {@link #next()}, in the order of the lines.
 *
 * @param <T> a line as prepared for the import
 */
final class ReadAhead<T> implements AutoCloseable {

    /** Where the lines come from: {@code null} at the end. */
    @FunctionalInterface
    interface Lines {
        LotLine next() throws IOException;
    }

    private static final int AHEAD = 1;
    /** Text per chunk at most (plus one line): 2 M characters, 4 MB of Java strings. */
    static final int CHUNK_CHARS = 2 * 1024 * 1024;
    private static final Object END = new Object();

    private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(AHEAD);
    private final Thread thread;
    private volatile boolean closed;
    private boolean ended;

    ReadAhead(Lines lines, int chunkSize, Function<LotLine, T> prepare) {
        thread = new Thread(() -> read(lines, chunkSize, prepare), "lot-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(Lines lines, int chunkSize, Function<LotLine, T> prepare) {
        try {
            List<T> chunk = new ArrayList<>(chunkSize);
            Object last = END;
            try {
                long chars = 0;
                for (LotLine line = lines.next(); line != null && !closed; line = lines.next()) {
                    chunk.add(prepare.apply(line));
                    chars += charsOf(line);
                    if (chunk.size() == chunkSize || chars >= CHUNK_CHARS) {
                        chunks.put(chunk);
                        chunk = new ArrayList<>(chunkSize);
                        chars = 0;
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                last = e;   // after the lines read before it: the import takes those first
            }
            if (!chunk.isEmpty()) {
                chunks.put(chunk);
            }
            chunks.put(last);
        } catch (InterruptedException e) {
            // closed: the import ended (or failed) without taking the rest
        }
    }

    private static long charsOf(LotLine l) {
        return length(l.file()) + length(l.lotId()) + length(l.prodId()) + length(l.name()) + length(l.isTest())
                + length(l.serial()) + length(l.description()) + length(l.error());
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** The next chunk of prepared lines, in file order; null after the last. */
    @SuppressWarnings("unchecked")
    List<T> next() throws IOException {
        if (ended) {
            return null;
        }
        Object next;
        try {
            next = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a lot file", e);
        }
        if (next == END) {
            ended = true;
            return null;
        }
        if (next instanceof IOException e) {
            ended = true;
            throw e;
        }
        if (next instanceof RuntimeException e) {
            ended = true;
            throw e;
        }
        if (next instanceof Error e) {
            ended = true;
            throw e;
        }
        return (List<T>) next;
    }

    /** Stops the reading thread and waits for it, so that the file can be closed under it. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
