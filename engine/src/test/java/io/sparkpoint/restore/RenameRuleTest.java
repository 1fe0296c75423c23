package io.sparkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code --map SOURCE=TARGET}: exact names, or a whole-key regex with group references in the target. */
class RenameRuleTest {
  @Test
  void anExactNameFeedsOnlyThatKey() {
    RenameRule rule = RenameRule.parse("old/w=new/w");
    assertThat(rule.isRegex()).isFalse();
    assertThat(rule.targetOf("old/w")).isEqualTo("new/w");
    assertThat(rule.targetOf("old/w/Adam")).isNull();
    assertThat(rule.targetOf("a/old/w")).isNull();
  }

  @Test
  void dotsAloneAreLiteralBecauseVariableNamesHoldThem() {
    RenameRule rule = RenameRule.parse("layer.1/w=layer.2/w");
    assertThat(rule.isRegex()).isFalse();
    assertThat(rule.targetOf("layer.1/w")).isEqualTo("layer.2/w");
    assertThat(rule.targetOf("layerX1/w")).isNull();
  }

  @Test
  void aRegexRewritesWithGroupReferences() {
    RenameRule rule = RenameRule.parse("^old/(.*)$=new/$1");
    assertThat(rule.isRegex()).isTrue();
    assertThat(rule.targetOf("old/dense/kernel")).isEqualTo("new/dense/kernel");
    assertThat(rule.targetOf("older/x")).isNull();

    RenameRule swap = RenameRule.parse("(\\w+)/(kernel|bias)=$2s/$1");
    assertThat(swap.targetOf("dense/kernel")).isEqualTo("kernels/dense");
  }

  @Test
  void aRegexMustMatchTheWholeKeyEvenWithoutAnchors() {
    RenameRule rule = RenameRule.parse("old/(.*)=new/$1");
    assertThat(rule.targetOf("old/x")).isEqualTo("new/x");
    assertThat(rule.targetOf("scope/old/x")).isNull();
  }

  @Test
  void theEntrySplitsAtItsLastEqualsSign() {
    RenameRule rule = RenameRule.parse("^a(?=b)(.*)$=c$1");
    assertThat(rule.targetOf("abc")).isEqualTo("cbc");
  }

  @Test
  void malformedEntriesNameTheFlagAndTheEntry() {
    assertThatThrownBy(() -> RenameRule.parse("old/w")).hasMessage(
        "Invalid --map 'old/w': expected SOURCE=TARGET, e.g. 'old/w=new/w' or '^old/(.*)$=new/$1'");
    assertThatThrownBy(() -> RenameRule.parse("old/w=")).hasMessageStartingWith("Invalid --map 'old/w=': expected SOURCE=TARGET");
    assertThatThrownBy(() -> RenameRule.parse("^old/(.*=new/$1")).hasMessage(
        "Invalid --map '^old/(.*=new/$1': Unclosed group near index 8 of ^old/(.*");
    assertThatThrownBy(() -> RenameRule.parse("^old/(.*)$=new/$2")).hasMessage(
        "Invalid --map '^old/(.*)$=new/$2': the target refers to group $2 but the regex has 1 group");
    assertThatThrownBy(() -> RenameRule.parse("^old/(.*)$=new/$x")).hasMessageContaining(
        "'$' in the target must start a group reference");
  }
}
