package io.bulkreg.lot;

/** {@code bulkreg.lots.unknown-columns}: what a header column bulkreg does not use does to the file. */
public enum UnknownColumns {
    /** Read the file without it and name it once in the output: MES exports carry columns such as batchNo. */
    IGNORE,
    /** Refuse the file: for inboxes whose producers must send exactly the lot file columns. */
    REFUSE
}
