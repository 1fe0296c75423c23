package io.sparkpoint.kernels.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Philox4x32-10 against the Random123 known-answer vectors, and TensorFlow's seeding and skip-ahead. */
class Philox4x32Test {
  /** One known answer: counter words, key words, and the first block. */
  private static int[] firstBlock(int[] counter, int[] key) {
    int[] block = new int[4];
    Philox4x32.of(counter, key).next(block);
    return block;
  }

  @Test
  void zeroCounterAndKeyGiveTheRandom123KnownAnswer() {
    assertThat(firstBlock(new int[] {0, 0, 0, 0}, new int[] {0, 0}))
        .containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
  }

  @Test
  void allOnesCounterAndKeyGiveTheRandom123KnownAnswer() {
    assertThat(firstBlock(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}))
        .containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
  }

  @Test
  void piDigitsCounterAndKeyGiveTheRandom123KnownAnswer() {
    assertThat(firstBlock(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[] {0xa4093822, 0x299f31d0}))
        .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
  }

  @Test
  void seedIsTheKeyAndSeed2TheUpperCounterWords() {
    Philox4x32 seeded = Philox4x32.seeded(0x299f31d0a4093822L, 0x0370734413198a2eL);
    int[] block = new int[4];
    seeded.next(block);

    assertThat(block).isEqualTo(firstBlock(new int[] {0, 0, 0x13198a2e, 0x03707344}, new int[] {0xa4093822, 0x299f31d0}));
    assertThat(seeded.counter()).containsExactly(1, 0, 0x13198a2e, 0x03707344);
  }

  @Test
  void nextAdvancesTheCounterByOneWithCarry() {
    Philox4x32 generator = Philox4x32.of(new int[] {-1, -1, -1, 5}, new int[] {1, 2});
    generator.next(new int[4]);

    assertThat(generator.counter()).containsExactly(0, 0, 0, 6);
  }

  @Test
  void skippingNBlocksLandsWhereNCallsToNextDo() {
    Philox4x32 stepped = Philox4x32.seeded(87654321, 12345);
    for (int i = 0; i < 1000; i++) {
      stepped.next(new int[4]);
    }
    Philox4x32 skipped = Philox4x32.seeded(87654321, 12345);
    skipped.skip(1000);

    assertThat(skipped.counter()).isEqualTo(stepped.counter());
  }

  @Test
  void skipCarriesOutOfTheLowWordsIntoTheUpperOnes() {
    Philox4x32 generator = Philox4x32.of(new int[] {-2, -1, -1, 7}, new int[] {0, 0});
    generator.skip(0x1_0000_0003L);

    assertThat(generator.counter()).containsExactly(1, 1, 0, 8);
  }

  @Test
  void aCopyGoesOnIndependently() {
    Philox4x32 original = Philox4x32.seeded(1, 2);
    Philox4x32 copy = original.copy();
    int[] a = new int[4];
    int[] b = new int[4];
    original.next(a);
    original.next(a);
    copy.next(b);
    copy.next(b);

    assertThat(b).isEqualTo(a);
    assertThat(copy.counter()).isEqualTo(original.counter());
  }
}
