package io.bulkreg.lot;

/** The file was not the same at the end of its import as at the start: nothing of it is kept, the next run tries again. */
public class LotFileChangedException extends RuntimeException {

    public LotFileChangedException(String file) {
        super(file + ": not taken yet, it changed while it was imported (still being copied in, or edited); nothing of "
                + "it was imported, the next run takes it");
    }
}
