package io.sparkpoint.kernels.conv;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;

/**
 * im2col for NHWC inputs: row {@code m = (n * outRows + oh) * outCols + ow} of the patch matrix
 * holds the taps of output pixel (n, oh, ow) for one channel group, in the filter's (h, w, i)
 * order, so the patch matrix times the filter (as a [h*w*i, o] matrix) is the NHWC output.
 * Padding taps are zero. Works on little-endian element bytes, so on every dtype alike (0 is all
 * zero bits in each). Stateless after construction: fills of disjoint rows may run on several
 * threads.
 */
final class Patches {
  private static final byte[] ZEROS = new byte[1 << 16];
  /** Patch rows below which one thread fills a chunk. */
  private static final int ROWS_PER_TASK = 256;
  /** Copies from the input below this size go to a heap stage first, then on to native memory in blocks. */
  private static final int SMALL_COPY_BYTES = 256;
  /** Bytes staged on the heap before a copy to the patch buffer: fits a core's cache. */
  private static final int STAGE_BYTES = 256 << 10;

  private final ConvShape shape;
  private final byte[] input;
  private final int width;
  /** Taps of one filter row (w * i) in bytes. */
  private final int filterRowBytes;

  Patches(ConvShape shape, byte[] input, int elementBytes) {
    this.shape = shape;
    this.input = input;
    this.width = elementBytes;
    this.filterRowBytes = shape.filterCols() * shape.patchDepth() * elementBytes;
  }

  /**
   * Bytes per copy from the input: a filter row of adjacent taps, or one tap. Small copies are
   * cheaper into heap buffers than native ones.
   */
  private int copyBytes() {
    boolean runs = shape.groups() == 1 && shape.cols().dilation() == 1;
    return runs ? filterRowBytes : shape.patchDepth() * width;
  }

  /**
   * Writes patch rows {@code first .. first + rows - 1} of {@code group} to {@code block} from index 0,
   * on all cores; small copies into a native block go through a heap stage.
   */
  void fillInParallel(ByteBuffer block, long first, int rows, int group) {
    int patchBytes = shape.patchSize() * width;
    int tasks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rows / ROWS_PER_TASK));
    boolean staged = block.isDirect() && copyBytes() < SMALL_COPY_BYTES;
    int stageRows = Math.max(1, STAGE_BYTES / patchBytes);
    IntStream.range(0, tasks).parallel().forEach(task -> {
      int from = (int) ((long) rows * task / tasks);
      int to = (int) ((long) rows * (task + 1) / tasks);
      if (!staged) {
        fill(block.duplicate().position(from * patchBytes).slice(), first + from, to - from, group);
        return;
      }
      ByteBuffer stage = ByteBuffer.allocate(Math.min(stageRows, to - from) * patchBytes);
      for (int at = from; at < to; at += stageRows) {
        int count = Math.min(stageRows, to - at);
        fill(stage, first + at, count, group);
        block.put(at * patchBytes, stage, 0, count * patchBytes);
      }
    });
  }

  /** Writes patch rows {@code first .. first + count - 1} of {@code group} to {@code target} from index 0. */
  void fill(ByteBuffer target, long first, int count, int group) {
    Window rows = shape.rows();
    Window cols = shape.cols();
    int rowBytes = shape.patchSize() * width;
    for (int r = 0; r < count; r++) {
      long m = first + r;
      long ow = m % cols.output();
      long oh = (m / cols.output()) % rows.output();
      long n = m / cols.output() / rows.output();
      for (int kh = 0; kh < shape.filterRows(); kh++) {
        int at = r * rowBytes + kh * filterRowBytes;
        long ih = rows.inputIndex(oh, kh);
        if (ih < 0 || ih >= shape.inRows()) {
          zero(target, at, filterRowBytes);
        } else if (shape.groups() == 1 && cols.dilation() == 1) {
          copyRun(target, at, (n * shape.inRows() + ih) * shape.inCols(), cols.inputIndex(ow, 0));
        } else {
          copyTaps(target, at, (n * shape.inRows() + ih) * shape.inCols(), ow, group);
        }
      }
    }
  }

  /** One filter row whose taps are adjacent input pixels: a single copy between two zero fills. */
  private void copyRun(ByteBuffer target, int at, long rowStart, long firstCol) {
    int taps = shape.filterCols();
    int from = (int) Math.min(taps, Math.max(0, -firstCol));
    int to = (int) Math.max(from, Math.min(taps, shape.inCols() - firstCol));
    int tapBytes = shape.patchDepth() * width;
    zero(target, at, from * tapBytes);
    if (to > from) {
      target.put(at + from * tapBytes, input, offset(rowStart + firstCol + from, 0), (to - from) * tapBytes);
    }
    zero(target, at + to * tapBytes, (taps - to) * tapBytes);
  }

  /** One filter row tap by tap: dilated taps, or one group's channels of each pixel. */
  private void copyTaps(ByteBuffer target, int at, long rowStart, long ow, int group) {
    int tapBytes = shape.patchDepth() * width;
    for (int kw = 0; kw < shape.filterCols(); kw++) {
      long iw = shape.cols().inputIndex(ow, kw);
      if (iw < 0 || iw >= shape.inCols()) {
        zero(target, at + kw * tapBytes, tapBytes);
      } else {
        target.put(at + kw * tapBytes, input, offset(rowStart + iw, group * shape.patchDepth()), tapBytes);
      }
    }
  }

  private int offset(long pixel, int channel) {
    return Math.toIntExact((pixel * shape.inDepth() + channel) * width);
  }

  private static void zero(ByteBuffer target, int at, int length) {
    for (int done = 0; done < length; done += ZEROS.length) {
      target.put(at + done, ZEROS, 0, Math.min(ZEROS.length, length - done));
    }
  }
}
