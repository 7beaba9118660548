/**
 * A real HTTP server implementing registerDevice with the platform's rules and injectable faults: the demo's
 * platform, the tests' and the benchmarks'. Uses no other bulkreg package; used by cli and the application.
 */
package io.bulkreg.sandbox;
