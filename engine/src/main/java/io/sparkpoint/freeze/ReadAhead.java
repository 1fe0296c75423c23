package io.sparkpoint.freeze;

import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the next variable's value on a second thread while the current one is written, so reading
 * the checkpoint and writing the frozen graph overlap. At most one value is read ahead.
 */
final class ReadAhead implements AutoCloseable {
  /** Reads one variable's value; throws what a direct read would. */
  interface Reader {
    Tensor read(String variable) throws IOException;
  }

  private final Reader reader;
  private final List<String> order;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
    Thread t = new Thread(runnable, "sparkpoint-freeze-read-ahead");
    t.setDaemon(true);
    return t;
  });
  private int next;
  private Future<Tensor> pending;

  /** {@code order}: the variables in the order {@link #value} will ask for them. */
  ReadAhead(Reader reader, List<String> order) {
    this.reader = reader;
    this.order = order;
  }

  /** The value of {@code variable}, which must be the next one in the order. */
  Tensor value(String variable) throws IOException {
    if (next >= order.size() || !order.get(next).equals(variable)) {
      throw new IllegalStateException("Cannot read " + variable + " out of order");
    }
    Future<Tensor> current = pending != null ? pending : submit(next);
    next++;
    pending = next < order.size() ? submit(next) : null;
    try {
      return current.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while reading " + variable);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("Cannot read " + variable, cause);
    }
  }

  private Future<Tensor> submit(int index) {
    String variable = order.get(index);
    return thread.submit(() -> reader.read(variable));
  }

  @Override
  public void close() {
    if (pending != null) {
      pending.cancel(true);
    }
    thread.shutdownNow();
  }
}
