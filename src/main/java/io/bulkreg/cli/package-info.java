/**
 * The command line: picocli commands run inside the Spring context ({@code register}, {@code rehearse},
 * {@code restart}, {@code report}, {@code resolve-in-doubt}, {@code reconcile}, {@code export}; {@code sandbox} without Spring), which
 * platform a run may send to ({@code PlatformChoice}), what a run prints and its exit code ({@code WatchedRun}, {@code RunPrinter},
 * {@code ExitCodes}). Uses job, lot, registration, results, mcs and sandbox; used only by the application.
 */
package io.bulkreg.cli;
