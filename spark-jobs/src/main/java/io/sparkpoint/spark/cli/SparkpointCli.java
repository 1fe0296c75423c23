package io.sparkpoint.spark.cli;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import java.io.PrintWriter;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sparkpoint} command line. Exit codes: 0 success, 1 failure or invalid input data, 2 bad usage. */
@Command(
    name = "sparkpoint",
    mixinStandardHelpOptions = true,
    versionProvider = SparkpointCli.Version.class,
    description = "TensorFlow-compatible checkpoints on the JVM, local files and HDFS alike.",
    subcommands = {InspectCommand.class, ValidateCommand.class, ReshardCommand.class, FreezeCommand.class, GraphCommand.class, RunCommand.class, ModelCommand.class, RetainCommand.class, TrainCommand.class, QuickstartCommand.class, RestorePartialCommand.class, DemoCommand.class})
public final class SparkpointCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (System.getProperty(YARN_CLUSTER_APP_ID) != null) {
      // YARN cluster mode: the ApplicationMaster reports the application's final status from how main ends,
      // and takes any System.exit, even exit(0), for a failure. So return on success and throw otherwise.
      if (code != 0) {
        throw new CommandFailedException(code);
      }
      return;
    }
    System.exit(code);
  }

  /** Set by Spark's ApplicationMaster in YARN cluster mode, where the driver runs inside it. */
  static final String YARN_CLUSTER_APP_ID = "spark.yarn.app.id";

  /** How main fails under YARN cluster mode; the message the command printed went to the driver's stderr. */
  static final class CommandFailedException extends RuntimeException {
    CommandFailedException(int code) {
      super("sparkpoint exited with code " + code + " (" + (code == 2 ? "bad usage" : "failure") + "); its message is in the driver's stderr");
    }
  }

  /** Runs the CLI and returns its exit code, without exiting. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new SparkpointCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("sparkpoint " + commandLine.getCommandName() + ": error: " + describe(e));
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** The storage every command uses: Hadoop's FileSystem with the configuration on the classpath. */
  static FileIO fileIO() {
    return new HadoopFileIO(new Configuration());
  }

  private static String describe(Throwable e) {
    // a failed Spark task: say what failed in the task, not "Job aborted due to stage failure"
    while (e.getClass().getName().equals("org.apache.spark.SparkException") && e.getCause() != null) {
      e = e.getCause();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = SparkpointCli.class.getPackage().getImplementationVersion();
      return new String[] {"sparkpoint " + (version == null ? "(development build)" : version)};
    }
  }
}
