package io.sparkpoint.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc32cTest {
  @Test
  void checkValueAndMaskMatchTensorFlow() {
    assertThat(Crc32c.compute("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
    assertThat(Crc32c.mask(0)).isEqualTo(0xA282EAD8);
    assertThat(Crc32c.unmask(Crc32c.mask(0x12345678))).isEqualTo(0x12345678);
  }

  @Test
  void combiningTheCrcsOfTwoPartsGivesTheCrcOfTheWhole() {
    Random random = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      byte[] data = new byte[random.nextInt(5000)];
      random.nextBytes(data);
      int split = data.length == 0 ? 0 : random.nextInt(data.length + 1);
      int a = Crc32c.compute(data, 0, split);
      int b = Crc32c.compute(data, split, data.length - split);
      assertThat(Crc32c.combine(a, b, data.length - split)).as("split %d of %d", split, data.length).isEqualTo(Crc32c.compute(data));
    }
  }
}
