package io.bulkreg.support;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A folder on a file system that refuses writes: a small tmpfs mounted there. Mounting needs root (CI runs as root). */
public final class Tmpfs {

    private Tmpfs() {
    }

    /**
     * A 16 KB tmpfs, filled up: nothing more can be written there.
     *
     * @return false where the tmpfs cannot be mounted (not root); then nothing was mounted
     */
    public static boolean mountFull(Path folder) throws IOException, InterruptedException {
        if (!mount(folder, "size=16k")) {
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

    /**
     * A tmpfs mounted read-only: no file can be created there, not even by root.
     *
     * @return false where the tmpfs cannot be mounted (not root); then nothing was mounted
     */
    public static boolean mountReadOnly(Path folder) throws IOException, InterruptedException {
        return mount(folder, "size=16k,ro");
    }

    public static void unmount(Path folder) throws IOException, InterruptedException {
        new ProcessBuilder("umount", folder.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }

    private static boolean mount(Path folder, String options) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", folder.toString())
                .redirectErrorStream(true).start();
        mount.getInputStream().readAllBytes();
        return mount.waitFor() == 0;
    }
}
