package io.sparkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.restore.RestorePlan.Outcome;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The partial-restore plan: every target variable's outcome, computed from names, dtypes and shapes alone. */
class RestorePlanTest {
  private static final TensorSpec FLOAT_3X4 = new TensorSpec(DType.FLOAT, Shape.of(3, 4));
  private static final TensorSpec FLOAT_4X3 = new TensorSpec(DType.FLOAT, Shape.of(4, 3));
  private static final TensorSpec FLOAT_5 = new TensorSpec(DType.FLOAT, Shape.of(5));
  private static final TensorSpec INT64_SCALAR = new TensorSpec(DType.INT64, Shape.scalar());

  @Test
  void sameNamesMatchAndTargetsWithoutSourceAreMissing() {
    RestorePlan plan = plan(specs("a/b", FLOAT_5, "old/extra", FLOAT_5), specs("a/b", FLOAT_5, "c", FLOAT_5), RestoreOptions.defaults());

    assertThat(plan.targets(Outcome.MATCHED)).containsExactly("a/b");
    assertThat(plan.targets(Outcome.MISSING)).containsExactly("c");
    assertThat(plan.unusedSources()).containsExactly("old/extra");
    assertThat(plan.problem("SRC", "DST")).isNull();
    assertThat(plan.lines()).containsExactly("matched  a/b", "missing  c", "unused   old/extra");
  }

  @Test
  void aRegexRewriteRenamesThroughGroupReferences() {
    RestorePlan plan = plan(specs("old/dense/kernel", FLOAT_3X4, "old/dense/bias", FLOAT_5),
        specs("new/dense/kernel", FLOAT_3X4, "new/dense/bias", FLOAT_5), RestoreOptions.defaults().withMap("^old/(.*)$=new/$1"));

    assertThat(plan.renamed()).containsExactly(Map.entry("new/dense/bias", "old/dense/bias"), Map.entry("new/dense/kernel", "old/dense/kernel"));
    assertThat(plan.lines()).containsExactly("renamed  new/dense/bias <- old/dense/bias", "renamed  new/dense/kernel <- old/dense/kernel");
    assertThat(plan.unusedSources()).isEmpty();
  }

  @Test
  void oneSourceFeedsSeveralTargetsThroughSeveralEntries() {
    RestorePlan plan = plan(specs("emb", FLOAT_3X4), specs("encoder/emb", FLOAT_3X4, "decoder/emb", FLOAT_3X4),
        RestoreOptions.defaults().withMap("emb=encoder/emb").withMap("emb=decoder/emb"));

    assertThat(plan.renamed()).containsOnly(Map.entry("encoder/emb", "emb"), Map.entry("decoder/emb", "emb"));
  }

  @Test
  void theFirstEntryToFeedATargetWinsSoLaterEntriesAreFallbacks() {
    RestorePlan plan = plan(specs("v1/a", FLOAT_5, "v2/a", FLOAT_5, "v2/b", FLOAT_5), specs("new/a", FLOAT_5, "new/b", FLOAT_5),
        RestoreOptions.defaults().withMap("^v1/(.*)$=new/$1").withMap("^v2/(.*)$=new/$1"));

    assertThat(plan.renamed()).containsOnly(Map.entry("new/a", "v1/a"), Map.entry("new/b", "v2/b"));
    assertThat(plan.unusedSources()).containsExactly("v2/a");
  }

  @Test
  void aMapEntryOverridesTheSameNameAndAnIdentityEntryCountsAsMatched() {
    RestorePlan plan = plan(specs("w", FLOAT_5, "w_ema", FLOAT_5, "b", FLOAT_5), specs("w", FLOAT_5, "b", FLOAT_5),
        RestoreOptions.defaults().withMap("w_ema=w").withMap("b=b"));

    assertThat(plan.renamed()).containsExactly(Map.entry("w", "w_ema"));
    assertThat(plan.targets(Outcome.MATCHED)).containsExactly("b");
    assertThat(plan.unusedSources()).containsExactly("w");
  }

  @Test
  void includeAndExcludeFilterTargetsAndExcludeWins() {
    SortedMap<String, TensorSpec> both = specs("dense/kernel", FLOAT_5, "dense/kernel/Adam", FLOAT_5, "dense_1/kernel", FLOAT_5,
        "global_step", INT64_SCALAR);
    RestorePlan plan = plan(both, both, RestoreOptions.defaults().withInclude("^dense").withExclude("/Adam"));

    assertThat(plan.targets(Outcome.MATCHED)).containsExactly("dense/kernel", "dense_1/kernel");
    assertThat(plan.targets(Outcome.EXCLUDED)).containsExactly("dense/kernel/Adam", "global_step");
    assertThat(plan.unusedSources()).containsExactly("dense/kernel/Adam", "global_step");
    assertThat(plan.lines()).contains("excluded global_step");
  }

  @Test
  void aShapeMismatchBlocksThePlanNamingBothTensorsAndBothCheckpoints() {
    RestorePlan plan = plan(specs("old/w", FLOAT_4X3), specs("new/w", FLOAT_3X4), RestoreOptions.defaults().withMap("old/w=new/w"));

    assertThat(plan.targets(Outcome.MISMATCHED)).containsExactly("new/w");
    assertThat(plan.skipped()).isEmpty();
    assertThat(plan.lines()).containsExactly("mismatch new/w [3,4] <- old/w [4,3]");
    assertThat(plan.problem("/src/ckpt", "/dst/ckpt")).isEqualTo(
        "Cannot restore 1 variable of /dst/ckpt from /src/ckpt: new/w [3,4] <- old/w [4,3] (shapes differ); pass --reshape to accept "
            + "the same number of elements in another shape, or --skip-mismatched to keep the target's values");
  }

  @Test
  void reshapeAcceptsAnotherShapeOfTheSameSizeOnly() {
    RestorePlan plan = plan(specs("w", FLOAT_4X3, "v", FLOAT_5), specs("w", FLOAT_3X4, "v", FLOAT_3X4),
        RestoreOptions.defaults().allowingReshape());

    assertThat(plan.targets(Outcome.MATCHED)).containsExactly("w");
    assertThat(plan.reshaped()).containsExactly("w");
    assertThat(plan.targets(Outcome.MISMATCHED)).containsExactly("v");
    assertThat(plan.lines()).containsExactly("mismatch v [3,4] <- v [5]", "reshape  w [3,4] <- w [4,3]");
    assertThat(plan.problem("S", "D")).isEqualTo(
        "Cannot restore 1 variable of D from S: v [3,4] <- v [5] (shapes differ); pass --skip-mismatched to keep the target's values");
  }

  @Test
  void skipMismatchedKeepsTheTargetValueAndReportsIt() {
    RestorePlan plan = plan(specs("w", FLOAT_4X3, "b", FLOAT_5), specs("w", FLOAT_3X4, "b", FLOAT_5),
        RestoreOptions.defaults().skippingMismatched());

    assertThat(plan.targets(Outcome.MISMATCHED)).containsExactly("w");
    assertThat(plan.skipped()).containsExactly("w");
    assertThat(plan.problem("S", "D")).isNull();
    assertThat(plan.lines()).containsExactly("matched  b", "mismatch w [3,4] <- w [4,3] (skipped)");
    assertThat(plan.unusedSources()).isEmpty();
  }

  @Test
  void aDtypeMismatchIsAMismatchThatReshapeNeverBridges() {
    RestorePlan plan = plan(specs("step", INT64_SCALAR), specs("step", new TensorSpec(DType.INT32, Shape.scalar())),
        RestoreOptions.defaults().allowingReshape());

    assertThat(plan.lines()).containsExactly("mismatch step int32 [] <- step int64 []");
    assertThat(plan.problem("S", "D")).isEqualTo(
        "Cannot restore 1 variable of D from S: step int32 [] <- step int64 [] (dtypes differ); pass --skip-mismatched to keep the target's values");
  }

  @Test
  void mapEntriesThatFeedNothingAreReportedAsLikelyTypos() {
    RestorePlan plan = plan(specs("old/w", FLOAT_5, "x", FLOAT_5), specs("new/w", FLOAT_5),
        RestoreOptions.defaults().withMap("old/W=new/w").withMap("x=y").withMap("^old/(.*)$=new/$1").withMap("^(old)/w$=new/w"));

    assertThat(plan.renamed()).containsExactly(Map.entry("new/w", "old/w"));
    assertThat(plan.unusedRenames()).containsExactly("old/W=new/w", "x=y", "^(old)/w$=new/w");
    assertThat(plan.warnings()).containsExactly(
        "--map 'old/W=new/w' matches no source key",
        "--map 'x=y' names no target variable",
        "--map '^(old)/w$=new/w' feeds nothing: earlier --map entries claim its targets");
  }

  @Test
  void anEntryMappingTwoSourceKeysToOneTargetIsRefused() {
    assertThatThrownBy(() -> plan(specs("a/w", FLOAT_5, "b/w", FLOAT_5), specs("w", FLOAT_5), RestoreOptions.defaults().withMap("^(a|b)/(.*)$=$2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --map '^(a|b)/(.*)$=$2': source keys a/w and b/w both map to target w; make the entry match one of them");
  }

  @Test
  void theObjectGraphAlwaysKeepsTheTargetsOwn() {
    TensorSpec string = new TensorSpec(DType.STRING, Shape.scalar());
    RestorePlan plan = plan(specs(RestorePlan.OBJECT_GRAPH_KEY, string, "w", FLOAT_5), specs(RestorePlan.OBJECT_GRAPH_KEY, string, "w", FLOAT_5),
        RestoreOptions.defaults());

    assertThat(plan.targets(Outcome.EXCLUDED)).containsExactly(RestorePlan.OBJECT_GRAPH_KEY);
    assertThat(plan.unusedSources()).isEmpty();
  }

  @Test
  void aBadFilterRegexNamesTheFlagAndThePattern() {
    assertThatThrownBy(() -> RestoreOptions.defaults().withInclude("dense[")).hasMessage(
        "Invalid --include 'dense[': Unclosed character class near index 5");
    assertThatThrownBy(() -> RestoreOptions.defaults().withExclude("*Adam")).hasMessage(
        "Invalid --exclude '*Adam': Dangling meta character '*' near index 0");
  }

  private static RestorePlan plan(SortedMap<String, TensorSpec> sources, SortedMap<String, TensorSpec> targets, RestoreOptions options) {
    return RestorePlan.compute(sources, targets, options);
  }

  private static SortedMap<String, TensorSpec> specs(Object... nameSpecPairs) {
    SortedMap<String, TensorSpec> specs = new TreeMap<>();
    for (int i = 0; i < nameSpecPairs.length; i += 2) {
      specs.put((String) nameSpecPairs[i], (TensorSpec) nameSpecPairs[i + 1]);
    }
    return specs;
  }
}
