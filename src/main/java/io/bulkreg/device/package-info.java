/**
 * What every stage speaks of: the device row and its status, the platform's rules for a device, the skip record and
 * its kinds, the vault that seals device keys at rest, a CSV field, a transaction of its own. Uses no other bulkreg
 * package; used by lot, registration, results and the stages above them.
 */
package io.bulkreg.device;
