package io.sparkpoint.retention;

/** A checkpoint prefix and the time it was saved, in seconds since the epoch. */
public record TimedCheckpoint(String prefix, double timestamp) {}
