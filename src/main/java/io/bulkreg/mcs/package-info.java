/**
 * The MCS v2 registerDevice client: request and answer types, the classification of every exchange into a
 * {@code RegistrationOutcome} (it decides nothing), the platform's address as operators write it. Knows nothing of
 * bulkreg's tables or of the sandbox; used by registration, job, cli and the application.
 */
package io.bulkreg.mcs;
