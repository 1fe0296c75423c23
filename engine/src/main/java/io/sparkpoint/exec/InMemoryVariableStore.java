package io.sparkpoint.exec;

import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Variables held on the heap, the default store of a {@link Session}. Tensors are immutable, so
 * an assignment replaces a variable's value atomically: a concurrent reader sees the old or the
 * new value, never a mix.
 *
 * <p>It lets an update overwrite an owned value in place (see {@link VariableStore#assignOwned})
 * while nothing else holds it: never returned by {@link #read} or {@link #snapshot}, and no other
 * {@link #readForUpdate} pending. An optimizer's slots, which only their update reads, are so
 * updated in place step after step, as TensorFlow does; a value anyone has read is never written
 * again, and reads wait while a value is being overwritten.
 */
public final class InMemoryVariableStore implements VariableStore {
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Shape> declared = new ConcurrentHashMap<>();

  /** One variable's value and who may see its memory; guarded by itself. */
  private static final class Entry {
    Tensor value;
    /** The value's writable memory when it was assigned owned, else null. */
    ByteBuffer memory;
    /** Whether the value has been returned by read or snapshot. */
    boolean handedOut;
    /** readForUpdate calls not yet ended by assignOwned or release. */
    int updaters;
    /** Whether an update is overwriting the value in place: reads wait. */
    boolean claimed;

    /** Waits until no update is overwriting the value in place. */
    void awaitUnclaimed() {
      boolean interrupted = false;
      while (claimed) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** Ends one update's read: the claim, if any, ends with it. */
    void endUpdate() {
      updaters = Math.max(0, updaters - 1);
      if (claimed) {
        claimed = false;
        notifyAll();
      }
    }
  }

  private Entry existing(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new KernelException("Attempting to use uninitialized value " + name);
    }
    return entry;
  }

  @Override
  public Tensor read(String name) {
    Entry entry = existing(name);
    synchronized (entry) {
      entry.awaitUnclaimed();
      entry.handedOut = true;
      return entry.value;
    }
  }

  @Override
  public void assign(String name, Tensor value) {
    Objects.requireNonNull(value, "value");
    Entry entry = entries.computeIfAbsent(Objects.requireNonNull(name, "name"), n -> new Entry());
    synchronized (entry) {
      entry.awaitUnclaimed();
      entry.value = value;
      entry.memory = null;
      entry.handedOut = false;
    }
  }

  @Override
  public boolean isInitialized(String name) {
    return entries.containsKey(name);
  }

  @Override
  public boolean remove(String name) {
    return entries.remove(name) != null;
  }

  @Override
  public void declareShape(String name, Shape shape) {
    declared.putIfAbsent(name, shape);
  }

  @Override
  public Shape declaredShape(String name) {
    return declared.get(name);
  }

  @Override
  public Tensor readForUpdate(String name) {
    Entry entry = existing(name);
    synchronized (entry) {
      entry.awaitUnclaimed();
      entry.updaters++;
      return entry.value;
    }
  }

  @Override
  public ByteBuffer claimForOverwrite(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      return null;
    }
    synchronized (entry) {
      if (entry.memory == null || entry.handedOut || entry.updaters != 1 || entry.claimed) {
        return null;
      }
      entry.claimed = true;
      return entry.memory.duplicate().order(ByteOrder.LITTLE_ENDIAN).clear();
    }
  }

  @Override
  public void release(String name) {
    Entry entry = entries.get(name);
    if (entry != null) {
      synchronized (entry) {
        entry.endUpdate();
      }
    }
  }

  @Override
  public void assignOwned(String name, Tensor value, ByteBuffer memory) {
    Objects.requireNonNull(value, "value");
    Entry entry = entries.computeIfAbsent(Objects.requireNonNull(name, "name"), n -> new Entry());
    synchronized (entry) {
      entry.endUpdate();
      entry.awaitUnclaimed(); // another update's claim (this one's ended above)
      entry.value = value;
      entry.memory = memory;
      entry.handedOut = false;
    }
  }

  /** The initialized variables and their current values, sorted by name (they count as read). */
  public Map<String, Tensor> snapshot() {
    Map<String, Tensor> values = new TreeMap<>();
    entries.forEach((name, entry) -> {
      synchronized (entry) {
        entry.awaitUnclaimed();
        entry.handedOut = true;
        values.put(name, entry.value);
      }
    });
    return values;
  }
}
