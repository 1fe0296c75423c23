package io.sparkpoint.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses ND4J's native build before ND4J loads it: libnd4j built with oneDNN for AVX2 (its
 * convolutions are 3 to 7 times faster here) when that build is on the classpath and the CPU has
 * AVX2 and FMA, else ND4J's plain build. A build chosen by the user (the system property
 * {@code org.bytedeco.javacpp.platform.extension}) is respected, and {@code
 * -Dsparkpoint.nd4j.onednn=false} keeps the plain build. {@link NdArrays} and every kernel
 * provider whose package calls ND4J directly call {@link #ensureConfigured()} first; code that touches ND4J before any kernel provider loads gets
 * whatever ND4J chooses then.
 */
public final class Nd4jRuntime {
  static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  static final String ONEDNN = "-onednn-avx2";
  private static final String ONEDNN_LIBRARY = "/org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libjnind4jcpu.so";
  private static final boolean ONEDNN_CHOSEN = configure();

  private Nd4jRuntime() {}

  /** Makes the choice (once); call before anything touches ND4J. */
  public static void ensureConfigured() {
    // the static initializer did the work
  }

  /** True when the oneDNN build was chosen. */
  public static boolean oneDnn() {
    return ONEDNN_CHOSEN;
  }

  private static boolean configure() {
    String chosen = System.getProperty(EXTENSION_PROPERTY);
    if (chosen != null) {
      return chosen.equals(ONEDNN);
    }
    if ("false".equalsIgnoreCase(System.getProperty("sparkpoint.nd4j.onednn"))
        || Nd4jRuntime.class.getResource(ONEDNN_LIBRARY) == null || !cpuHasAvx2AndFma()) {
      return false;
    }
    System.setProperty(EXTENSION_PROPERTY, ONEDNN);
    return true;
  }

  /** From Linux's /proc/cpuinfo; false anywhere else, so the plain build is used. */
  private static boolean cpuHasAvx2AndFma() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          String flags = " " + line.substring(line.indexOf(':') + 1) + " ";
          return flags.contains(" avx2 ") && flags.contains(" fma ");
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
