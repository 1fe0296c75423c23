package io.sparkpoint.kernels.conv;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * col2im, the adjoint of {@link Patches} for ungrouped NHWC convolutions: adds each patch row
 * (one output pixel's taps in the filter's (h, w, i) order) back onto the input pixels the taps
 * read; taps in the padding add nothing. Rows are added in order, and each row's taps in order,
 * as TF's Col2im does, so only the patch values themselves can differ from TF's by rounding.
 * Images are disjoint, so the rows of different images are added on all cores.
 */
final class Col2Im {
  private final ConvShape shape;
  private final int taps;
  private final int rowsPerImage;

  Col2Im(ConvShape shape) {
    this.shape = shape;
    this.taps = shape.patchSize();
    this.rowsPerImage = Math.toIntExact(shape.rows().output() * shape.cols().output());
  }

  /** One contiguous stretch of a patch row and the input elements it adds onto. */
  @FunctionalInterface
  private interface Run {
    void add(int tapAt, int imageAt, int length);
  }

  /** Adds patch rows {@code first .. first + count - 1}, read from {@code patches} at index 0, onto {@code image}. */
  void add(FloatBuffer patches, long first, int count, float[] image) {
    inParallel(first, count, (from, to) -> {
      float[] row = new float[taps];
      for (int r = from; r < to; r++) {
        patches.get(r * taps, row);
        runs(first + r, (tapAt, imageAt, length) -> {
          for (int k = 0; k < length; k++) {
            image[imageAt + k] += row[tapAt + k];
          }
        });
      }
    });
  }

  /** The float64 twin of {@link #add(FloatBuffer, long, int, float[])}. */
  void add(DoubleBuffer patches, long first, int count, double[] image) {
    inParallel(first, count, (from, to) -> {
      double[] row = new double[taps];
      for (int r = from; r < to; r++) {
        patches.get(r * taps, row);
        runs(first + r, (tapAt, imageAt, length) -> {
          for (int k = 0; k < length; k++) {
            image[imageAt + k] += row[tapAt + k];
          }
        });
      }
    });
  }

  /** Rows [from, to) of a chunk, relative to its first row. */
  @FunctionalInterface
  private interface Rows {
    void add(int from, int to);
  }

  /** Splits the chunk's rows at image boundaries, one task per image or run of images. */
  private void inParallel(long first, int count, Rows rows) {
    long firstImage = first / rowsPerImage;
    long lastImage = (first + count - 1) / rowsPerImage;
    int images = (int) (lastImage - firstImage + 1);
    int tasks = Math.min(images, Runtime.getRuntime().availableProcessors());
    IntStream.range(0, tasks).parallel().forEach(task -> {
      long fromImage = firstImage + (long) images * task / tasks;
      long toImage = firstImage + (long) images * (task + 1) / tasks;
      int from = (int) Math.max(0, fromImage * rowsPerImage - first);
      int to = (int) Math.min(count, toImage * rowsPerImage - first);
      rows.add(from, to);
    });
  }

  /** The runs of patch row {@code m}: one per filter row when taps are adjacent input pixels, else one per tap. */
  private void runs(long m, Run run) {
    Window rows = shape.rows();
    Window cols = shape.cols();
    long ow = m % cols.output();
    long oh = (m / cols.output()) % rows.output();
    long n = m / cols.output() / rows.output();
    int depth = shape.inDepth();
    int filterCols = shape.filterCols();
    for (int kh = 0; kh < shape.filterRows(); kh++) {
      long ih = rows.inputIndex(oh, kh);
      if (ih < 0 || ih >= shape.inRows()) {
        continue;
      }
      long rowStart = (n * shape.inRows() + ih) * shape.inCols();
      int tapRow = kh * filterCols * depth;
      if (cols.dilation() == 1) {
        long firstCol = cols.inputIndex(ow, 0);
        int from = (int) Math.min(filterCols, Math.max(0, -firstCol));
        int to = (int) Math.max(from, Math.min(filterCols, shape.inCols() - firstCol));
        if (to > from) {
          run.add(tapRow + from * depth, (int) ((rowStart + firstCol + from) * depth), (to - from) * depth);
        }
        continue;
      }
      for (int kw = 0; kw < filterCols; kw++) {
        long iw = cols.inputIndex(ow, kw);
        if (iw >= 0 && iw < shape.inCols()) {
          run.add(tapRow + kw * depth, (int) ((rowStart + iw) * depth), depth);
        }
      }
    }
  }
}
