/**
 * The application: its entry point and its wiring. {@code PlatformWiring} points the platform client at the platform
 * the command chose, or starts the built-in sandbox; the choice is made here so that {@code mcs} never knows the
 * sandbox. May use every package; no package uses it.
 */
package io.bulkreg;
