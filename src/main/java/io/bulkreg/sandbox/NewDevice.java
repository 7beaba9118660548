package io.bulkreg.sandbox;

/** One validated device of a request, fields exactly as received; null = absent. */
record NewDevice(String prodId, String name, boolean isTest, String description, String serial) {
}
