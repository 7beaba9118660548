package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The import's read-ahead: every line once, in order, in chunks; a failure of the reading after the lines before it. */
class ReadAheadTest {

    @Test
    void givenMoreLinesThanTheQueueHolds_whenTakenChunkByChunk_thenEachLineComesOnceInFileOrder() throws IOException {
        AtomicLong read = new AtomicLong();
        List<Long> taken = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        try (ReadAhead<Long> lines = new ReadAhead<>(() -> read.get() == 2_501 ? null : line(read.incrementAndGet()),
                1_000, LotLine::line)) {
            for (List<Long> chunk = lines.next(); chunk != null; chunk = lines.next()) {
                sizes.add(chunk.size());
                taken.addAll(chunk);
            }
            assertThat(lines.next()).isNull();
        }
        assertThat(sizes).containsExactly(1_000, 1_000, 501);
        assertThat(taken).hasSize(2_501).isSorted().doesNotHaveDuplicates().startsWith(1L).endsWith(2_501L);
    }

    @Test
    void givenAReadThatFailsMidFile_whenTaken_thenTheLinesBeforeItComeFirstAndThenItsException() throws IOException {
        AtomicLong read = new AtomicLong();
        IOException broken = new IOException("disk gone");
        try (ReadAhead<Long> lines = new ReadAhead<>(() -> {
            if (read.get() == 150) {
                throw broken;
            }
            return line(read.incrementAndGet());
        }, 100, LotLine::line)) {
            assertThat(lines.next()).hasSize(100);
            assertThat(lines.next()).hasSize(50).endsWith(150L);
            assertThatThrownBy(lines::next).isSameAs(broken);
        }
    }

    @Test
    void givenAnImportThatStopsEarly_whenClosed_thenTheReadingThreadEndsAndReadsNoMore() {
        AtomicLong read = new AtomicLong();
        ReadAhead<Long> lines = new ReadAhead<>(() -> line(read.incrementAndGet()), 10, LotLine::line);  // endless

        lines.close();

        long after = read.get();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("lot-read-ahead"));
        assertThat(read.get()).isEqualTo(after);
        // what close left waiting: at most the queue's chunk and the one being filled
        assertThat(after).isLessThanOrEqualTo(2 * 10 + 1);
    }

    @Test
    void givenLinesOfVeryLongText_whenRead_thenAChunkEndsAtItsTextBoundNotAtItsLineCount() throws IOException {
        AtomicLong read = new AtomicLong();
        String half = "d".repeat(ReadAhead.CHUNK_CHARS / 2);
        List<Integer> sizes = new ArrayList<>();
        try (ReadAhead<Long> lines = new ReadAhead<>(() -> read.get() == 10 ? null : new LotLine("f.csv",
                read.incrementAndGet(), "L", "p", "n", "false", null, half, null), 1_000, LotLine::line)) {
            for (List<Long> chunk = lines.next(); chunk != null; chunk = lines.next()) {
                sizes.add(chunk.size());
            }
        }
        assertThat(sizes).containsExactly(2, 2, 2, 2, 2);
    }

    private static LotLine line(long n) {
        return new LotLine("f.csv", n, "L", "p", "n" + n, "false", "S" + n, null, null);
    }
}
