package io.bulkreg.sandbox;

/** A serial is unique per product, so this pair is the registry's uniqueness key. */
record ProductSerial(String prodId, String serial) {
}
