package io.sparkpoint;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package map of style-and-layout.md §6.1, enforced: each layer uses only the layers below it. */
class LayeringTest {
  private static JavaClasses engine;

  @BeforeAll
  static void importEngine() {
    engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.sparkpoint");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.sparkpoint.(*)..").should().beFreeOfCycles().check(engine);
  }

  @Test
  void theTableKnowsOnlyBytes() {
    noClasses().that().resideInAPackage("io.sparkpoint.table..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.sparkpoint.tensor..", "io.sparkpoint.bundle..", "io.sparkpoint.proto..", "io.sparkpoint.checkpoint..")
        .check(engine);
  }

  @Test
  void theBundleKnowsNothingOfDirectoriesOrKernels() {
    noClasses().that().resideInAPackage("io.sparkpoint.bundle..")
        .should().dependOnClassesThat().resideInAnyPackage("io.sparkpoint.checkpoint..", "io.sparkpoint.kernels..")
        .check(engine);
  }

  @Test
  void tensorsDependOnlyOnBytesAndProtos() {
    noClasses().that().resideInAPackage("io.sparkpoint.tensor..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.sparkpoint.fs..", "io.sparkpoint.table..", "io.sparkpoint.bundle..", "io.sparkpoint.checkpoint..", "io.sparkpoint.kernels..")
        .check(engine);
  }

  @Test
  void hadoopIsUsedOnlyBehindTheFileIoSeam() {
    noClasses().that().resideOutsideOfPackage("io.sparkpoint.fs.hadoop..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.hadoop..")
        .check(engine);
  }

  @Test
  void nd4jIsUsedOnlyByKernels() {
    noClasses().that().resideOutsideOfPackage("io.sparkpoint.kernels..")
        .should().dependOnClassesThat().resideInAPackage("org.nd4j..")
        .check(engine);
  }

  @Test
  void bytesAndFsUseOnlyTheJdk() {
    noClasses().that().resideInAnyPackage("io.sparkpoint.bytes..", "io.sparkpoint.fs")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.sparkpoint.tensor..", "io.sparkpoint.table..", "io.sparkpoint.bundle..", "io.sparkpoint.proto..", "com.google..")
        .check(engine);
  }

  @Test
  void npyFilesKnowOnlyTensorsAndTheFileIoSeam() {
    noClasses().that().resideInAPackage("io.sparkpoint.npy..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.sparkpoint.table..", "io.sparkpoint.bundle..", "io.sparkpoint.checkpoint..", "io.sparkpoint.graph..",
            "io.sparkpoint.exec..", "io.sparkpoint.kernels..")
        .check(engine);
  }

  @Test
  void gradientsOnlyBuildNodes() {
    noClasses().that().resideInAPackage("io.sparkpoint.grad..")
        .should().dependOnClassesThat().resideInAnyPackage("io.sparkpoint.exec..", "io.sparkpoint.kernels..", "io.sparkpoint.saver..",
            "io.sparkpoint.train..", "io.sparkpoint.bundle..", "io.sparkpoint.checkpoint..", "io.sparkpoint.fs..")
        .check(engine);
  }

  @Test
  void optimizersUseOnlyGraphsAndGradients() {
    noClasses().that().resideInAPackage("io.sparkpoint.train..")
        .should().dependOnClassesThat().resideInAnyPackage("io.sparkpoint.exec..", "io.sparkpoint.kernels..", "io.sparkpoint.saver..",
            "io.sparkpoint.bundle..", "io.sparkpoint.checkpoint..", "io.sparkpoint.fs..")
        .check(engine);
  }

  @Test
  void theCommitProtocolKnowsFilesNotGraphsOrExecution() {
    noClasses().that().resideInAPackage("io.sparkpoint.commit..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.sparkpoint.graph..", "io.sparkpoint.exec..", "io.sparkpoint.kernels..", "io.sparkpoint.replica..", "io.sparkpoint.train..")
        .check(engine);
  }

  @Test
  void replicasKnowGraphsAndSessionsNotFilesOrKernels() {
    noClasses().that().resideInAPackage("io.sparkpoint.replica..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.sparkpoint.commit..", "io.sparkpoint.bundle..", "io.sparkpoint.table..", "io.sparkpoint.kernels..", "io.sparkpoint.events..")
        .check(engine);
  }

  @Test
  void eventFilesKnowOnlyBytesFilesAndProtos() {
    noClasses().that().resideInAPackage("io.sparkpoint.events..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.sparkpoint.tensor..", "io.sparkpoint.bundle..", "io.sparkpoint.graph..", "io.sparkpoint.exec..", "io.sparkpoint.checkpoint..")
        .check(engine);
  }
}
