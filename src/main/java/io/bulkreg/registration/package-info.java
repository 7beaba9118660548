/**
 * A device from the work table to a credential: the write-ahead state changes ({@code DeviceRegistrations}), the fault
 * policy that decides every step ({@code FaultPolicy}), the dispatcher that carries its decisions out, crash recovery,
 * the credential rescue file, operators' resolution of devices in doubt, the platform on record. Uses device and mcs;
 * used by job and cli.
 */
package io.bulkreg.registration;
