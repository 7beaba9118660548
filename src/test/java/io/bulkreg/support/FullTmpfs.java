package io.bulkreg.support;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A folder on a full filesystem: a 16 KB tmpfs mounted there and filled up. Mounting needs root (CI runs as root). */
public final class FullTmpfs {

    private FullTmpfs() {
    }

    /** @return false where the tmpfs cannot be mounted (not root); then nothing was mounted */
    public static boolean mount(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", folder.toString())
                .redirectErrorStream(true).start();
        mount.getInputStream().readAllBytes();
        if (mount.waitFor() != 0) {
            return false;
        }
        Process fill = new ProcessBuilder("dd", "if=/dev/zero", "of=" + folder.resolve("fill"), "bs=1k")
                .redirectErrorStream(true).start();
        fill.getInputStream().readAllBytes();
        fill.waitFor();   // ends with "No space left on device": that is the point
        if (folder.toFile().getUsableSpace() != 0) {
            unmount(folder);
            fail("the tmpfs on " + folder + " still has free space after it was filled");
        }
        return true;
    }

    public static void unmount(Path folder) throws IOException, InterruptedException {
        new ProcessBuilder("umount", folder.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
