package io.sparkpoint.bundle;

import io.sparkpoint.fs.FileIO;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a checkpoint end to end, like fsck: the index and its header, that every data shard
 * exists, that every entry lies inside its file, and every tensor's checksum. It reports every
 * problem it finds rather than stopping at the first.
 */
public final class BundleValidator {
  private BundleValidator() {}

  /** One problem: the file it is in, the tensor if any (else null), and what is wrong. */
  public record Problem(String file, String tensor, String message) {
    @Override
    public String toString() {
      return file + (tensor == null ? "" : ": " + tensor) + ": " + message;
    }
  }

  /** The outcome: what was checked and what is wrong. */
  public record Report(String prefix, int tensorsChecked, long bytesChecked, List<Problem> problems) {
    public boolean isValid() {
      return problems.isEmpty();
    }
  }

  /** Validates in this thread, every entry whole; {@link ValidationPlan} spreads the same work over tasks. */
  public static Report validate(FileIO io, String prefix) {
    BundleReader reader;
    try {
      reader = BundleReader.open(io, prefix);
    } catch (IOException | RuntimeException e) {
      return ValidationPlan.unreadable(prefix, e).report(List.of());
    }
    ValidationPlan plan = ValidationPlan.of(io, reader, Long.MAX_VALUE);
    List<EntryCheck.Outcome> outcomes = new ArrayList<>();
    try (reader) {
      for (EntryCheck check : plan.checks()) {
        outcomes.add(check.run(reader));
      }
    } catch (IOException e) {
      Report report = plan.report(outcomes);
      List<Problem> problems = new ArrayList<>(report.problems());
      problems.add(new Problem(prefix, null, ValidationPlan.describe(e)));
      return new Report(prefix, report.tensorsChecked(), report.bytesChecked(), problems);
    }
    return plan.report(outcomes);
  }
}
