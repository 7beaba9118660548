/**
 * What the tables say after a run: per-lot report and its formats, what one execution did ({@code RunFigures}), the
 * credential export (decrypted, with the platform that issued each). Reads; writes nothing. Uses device only; used
 * by job and cli.
 */
package io.bulkreg.results;
