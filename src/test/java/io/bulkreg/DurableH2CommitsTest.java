package io.bulkreg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurableH2CommitsTest {

    @Test
    void givenAnH2FileUrl_whenPrepared_thenEveryCommitIsWrittenAtOnce() {
        assertThat(DurableH2Commits.durable("jdbc:h2:file:./data/bulkreg;FILE_LOCK=FS"))
                .isEqualTo("jdbc:h2:file:./data/bulkreg;FILE_LOCK=FS;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0");
    }

    @Test
    void givenAnH2UrlThatSetsEachSetting_whenPrepared_thenItIsLeftAsIs() {
        assertThat(DurableH2Commits.durable("jdbc:h2:file:/db;write_delay=100;db_close_on_exit=true;trace_level_file=1"))
                .isEqualTo("jdbc:h2:file:/db;write_delay=100;db_close_on_exit=true;trace_level_file=1");
    }

    @Test
    void givenAnInMemoryOrPostgresUrl_whenPrepared_thenItIsLeftAsIs() {
        assertThat(DurableH2Commits.durable("jdbc:h2:mem:t1;DB_CLOSE_DELAY=-1")).isEqualTo("jdbc:h2:mem:t1;DB_CLOSE_DELAY=-1");
        assertThat(DurableH2Commits.durable("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
