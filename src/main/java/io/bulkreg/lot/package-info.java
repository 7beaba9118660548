/**
 * A device from a file into the work table: the byte-level CSV reader, the lot file's dialect, encoding and header,
 * the inbox (which files are complete), and the import (one transaction per file, idempotent by content, lines
 * already there and conflicts). Uses device only; used by job and cli.
 */
package io.bulkreg.lot;
