package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A validation split into checks, each run with a reader of its own, reports exactly what {@link BundleValidator} reports. */
class ValidationPlanTest {
  private static final String BIG = "/mem/big/ckpt";
  /** 40,000 floats: 160,000 bytes, split into ranges of 64 KiB. */
  private static final Tensor LARGE = TestFixtures.randomTensor(DType.FLOAT, Shape.of(200, 200), new Random(7));

  private final InMemoryFileIO io = TestFixtures.memory();

  static List<String> fixtures() {
    return TestFixtures.allV2Prefixes();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyTensorFlowCheckpointGivesTheSameReportInPieces(String fixture) throws IOException {
    String prefix = TestFixtures.copyToMemory(io, fixture, "tf");
    assertThat(inPieces(prefix, 1000)).isEqualTo(BundleValidator.validate(io, prefix));
  }

  @Test
  void aLargeTensorIsCheckedAsRangesWhoseChecksumsCombine() throws IOException {
    writeBig();
    ValidationPlan plan = ValidationPlan.of(io, BIG, 64 << 10);
    assertThat(plan.checks()).filteredOn(check -> check.tensor().equals("large"))
        .extracting(EntryCheck::from, EntryCheck::length, EntryCheck::whole)
        .containsExactly(
            tuple(0L, 65536L, false),
            tuple(65536L, 65536L, false),
            tuple(131072L, 28928L, false));
    assertThat(plan.checks()).filteredOn(check -> !check.tensor().equals("large")).allMatch(EntryCheck::whole);
    assertThat(plan.bytesToCheck()).isEqualTo(BundleValidator.validate(io, BIG).bytesChecked());
    BundleValidator.Report report = inPieces(BIG, 64 << 10);
    assertThat(report.isValid()).isTrue();
    assertThat(report).isEqualTo(BundleValidator.validate(io, BIG));
  }

  @ParameterizedTest(name = "byte {0} of the large tensor")
  @ValueSource(longs = {0, 70_000, 159_999})
  void aFlippedByteInAnyRangeIsReportedAsTheWholeTensorsMismatch(long at) throws IOException {
    writeBig();
    long offset;
    try (BundleReader reader = BundleReader.open(io, BIG)) {
      offset = reader.entry("large").getOffset() + at;
    }
    byte[] data = io.contents(BIG + ".data-00000-of-00001");
    data[(int) offset] ^= 0x10;
    io.put(BIG + ".data-00000-of-00001", data);
    BundleValidator.Report report = inPieces(BIG, 64 << 10);
    assertThat(report.problems()).singleElement().satisfies(problem ->
        assertThat(problem.toString()).startsWith(BIG + ".data-00000-of-00001: large: Checksum does not match for tensor large in "
            + BIG + ".data-00000-of-00001 (160000 bytes): stored "));
    assertThat(report).isEqualTo(BundleValidator.validate(io, BIG));
  }

  @Test
  void aTruncatedDataFileIsReportedAsTheSingleThreadedValidatorReportsIt() throws IOException {
    writeBig();
    byte[] data = io.contents(BIG + ".data-00000-of-00001");
    io.put(BIG + ".data-00000-of-00001", Arrays.copyOf(data, data.length - 100));
    BundleValidator.Report report = inPieces(BIG, 64 << 10);
    assertThat(report.problems()).isNotEmpty();
    assertThat(report).isEqualTo(BundleValidator.validate(io, BIG));
  }

  @Test
  void aMissingShardAndAnUnreadableIndexNeedNoChecks() {
    String sharded = TestFixtures.copyToMemory(io, "libtensorflow-2.18-generated/sharded_v2/ckpt", "sharded");
    io.deleteFile(sharded + ".data-00001-of-00002");
    ValidationPlan plan = ValidationPlan.of(io, sharded, 1 << 20);
    assertThat(plan.checks()).extracting(EntryCheck::tensor).doesNotContain("b_int64", "d_bool", "global_step");
    assertThat(plan.report(outcomes(sharded, plan))).isEqualTo(BundleValidator.validate(io, sharded));

    ValidationPlan unreadable = ValidationPlan.of(io, "/mem/none/ckpt", 1 << 20);
    assertThat(unreadable.checks()).isEmpty();
    assertThat(unreadable.report(List.of())).isEqualTo(BundleValidator.validate(io, "/mem/none/ckpt"));
  }

  @Test
  void aReportWithoutEveryOutcomeIsRefused() throws IOException {
    writeBig();
    ValidationPlan plan = ValidationPlan.of(io, BIG, 64 << 10);
    assertThatThrownBy(() -> plan.report(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot report on " + BIG + ": check 0 of tensor a_small has no outcome");
  }

  /** Plans, runs the checks in eight groups or more from last to first, each group with a reader of its own (as tasks would), and reports. */
  private BundleValidator.Report inPieces(String prefix, long maxCheckBytes) {
    ValidationPlan plan = ValidationPlan.of(io, prefix, maxCheckBytes);
    return plan.report(outcomes(prefix, plan));
  }

  private List<EntryCheck.Outcome> outcomes(String prefix, ValidationPlan plan) {
    List<EntryCheck> checks = new ArrayList<>(plan.checks());
    Collections.reverse(checks);
    List<EntryCheck.Outcome> outcomes = new ArrayList<>();
    int group = Math.max(10, checks.size() / 8);
    for (int start = 0; start < checks.size(); start += group) {
      try (BundleReader reader = BundleReader.open(io, prefix)) {
        for (EntryCheck check : checks.subList(start, Math.min(start + group, checks.size()))) {
          outcomes.add(check.run(reader));
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return outcomes;
  }

  private void writeBig() throws IOException {
    try (BundleWriter writer = BundleWriter.create(io, BIG)) {
      writer.add("a_small", Tensor.ofFloats(Shape.of(3), 1, 2, 3));
      writer.add("large", LARGE);
      writer.add("strings", Tensor.ofStrings(Shape.of(2), "x".repeat(70_000), "y"));
      writer.finish();
    }
  }
}
