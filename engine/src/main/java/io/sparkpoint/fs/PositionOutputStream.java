package io.sparkpoint.fs;

import java.io.IOException;
import java.io.OutputStream;

/** An output stream that knows how many bytes it has written. */
public abstract class PositionOutputStream extends OutputStream {
  /** The number of bytes written so far, which is the offset of the next byte. */
  public abstract long position() throws IOException;
}
