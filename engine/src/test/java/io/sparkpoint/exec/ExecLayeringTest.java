package io.sparkpoint.exec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** exec finds its kernels through the ServiceLoader and never imports the kernels package (style-and-layout §6.1). */
class ExecLayeringTest {
  @Test
  void execNeverImportsKernelsAndUsesOnlyGraphAndTensor() {
    noClasses().that().resideInAPackage("io.sparkpoint.exec..")
        .should().dependOnClassesThat().resideInAnyPackage("io.sparkpoint.kernels..", "io.sparkpoint.bundle..",
            "io.sparkpoint.checkpoint..", "io.sparkpoint.fs..", "io.sparkpoint.saver..", "io.sparkpoint.freeze..", "org.nd4j..")
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.sparkpoint.exec"));
  }

  @Test
  void theServiceLoaderFindsThePlumbingAndVariableKernels() {
    assertThat(KernelRegistry.fromServiceLoader().opTypes()).contains(
        "Const", "Placeholder", "PlaceholderWithDefault", "Identity", "IdentityN", "NoOp", "StopGradient",
        "VariableV2", "Variable", "Assign", "IsVariableInitialized",
        "VarHandleOp", "AssignVariableOp", "ReadVariableOp", "VarIsInitializedOp");
  }
}
