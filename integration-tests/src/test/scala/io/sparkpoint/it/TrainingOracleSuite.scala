package io.sparkpoint.it

import java.nio.file.{Files, Path}

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.exec.Session
import io.sparkpoint.graph.{Graph, MetaGraphs, Output, Variables}
import io.sparkpoint.proto.SavedModel
import io.sparkpoint.saver.Saver
import io.sparkpoint.tensor.{DType, Shape, Tensor}
import io.sparkpoint.train.{AdamOptimizer, GlobalStep, GradientDescentOptimizer, MomentumOptimizer, Optimizer, TrainableVariable}

/**
 * Training graphs run step for step as in TensorFlow 2.18 (the tf-oracle, TF Java 1.1.0):
 *
 *  1. TF builds an MLP training graph (softmax cross-entropy, gradients from TF's C++ gradient registry through
 *     `Graph.addGradients`, ApplyGradientDescent or ApplyMomentum), exports it with its checkpoint and trains it 20
 *     steps on a fixed batch; we import the same meta graph, restore the same checkpoint through its SaverDef and run
 *     its train op 20 times on the same batch;
 *  1. our API builds an MLP training graph (our gradients, our optimizers, a global step), we export it as `.meta`
 *     plus checkpoint, TF trains it 20 steps, we train it 20 steps.
 *
 * Afterwards every variable and every optimizer slot must match TF's within 1e-4 relative, element by element
 * (relative to max(|tf|, 0.01), so values near zero are held to 1e-6 absolute), and the first step's loss within
 * 1e-6 relative. TF runs with one inter-op thread, so its own runs are repeatable.
 */
class TrainingOracleSuite extends AnyFunSuite with Matchers {
  private val dir = Files.createTempDirectory("training-oracle")
  private val Steps = 20

  /** `NAME=float32:AxB:v,v,...` as our feed. */
  private def parseFeed(spec: String): (String, Tensor) = {
    val Array(name, rest) = spec.split("=", 2)
    val Array(dtype, dims, values) = rest.split(":", 3)
    dtype shouldBe "float32"
    val shape = Shape.of(dims.split("x").map(_.toLong): _*)
    (if (name.contains(":")) name else name + ":0") -> Tensor.ofFloats(shape, values.split(",").map(_.toFloat): _*)
  }

  private def tfTrain(graph: Path, prefix: String, target: String, feeds: Seq[String], fetches: Seq[String]): Map[String, Oracle.Fetched] = {
    val values = Files.createTempFile(dir, "tf-train", ".tsv")
    val args = Seq("train", graph.toString, values.toString, "--restore", prefix, "--target", target, "--steps", Steps.toString,
      "--loss", "loss:0", "--fetch", fetches.mkString(",")) ++ feeds.flatMap(f => Seq("--feed", f))
    val run = Oracle.run(args: _*)
    withClue(run.stderr.takeRight(3000)) { run.exitCode shouldBe 0 }
    Oracle.readValues(values).map(f => f.name -> f).toMap
  }

  /** Our session runs `target` Steps times with the feeds, noting the first step's loss. */
  private def ourTrain(session: Session, target: String, feeds: Seq[String]): Double = {
    val fed = feeds.map(parseFeed).toMap.asJava
    var first = Double.NaN
    for (step <- 1 to Steps) {
      val loss = session.run(fed, List("loss:0").asJava, List(target).asJava).get(0)
      if (step == 1) first = loss.doubleAt(0)
    }
    first
  }

  private def compare(session: Session, tf: Map[String, Oracle.Fetched], fetches: Seq[String], firstLoss: Double): Unit = {
    val tfLoss = tf("loss#1").floats.head.toDouble
    withClue("first-step loss") { math.abs(firstLoss - tfLoss) should be <= 1e-6 * math.abs(tfLoss) }
    tf("loss#" + Steps).floats.head should be < tfLoss.toFloat
    val ours = session.run(Map.empty[String, Tensor].asJava, fetches.asJava).asScala
    var worst = 0.0
    for ((name, value) <- fetches.zip(ours)) {
      val expected = tf(name).values.map(_.toDouble)
      withClue(name) { value.numElements() shouldBe expected.size }
      for (i <- expected.indices) {
        val d = math.abs(value.doubleAt(i) - expected(i)) / math.max(math.abs(expected(i)), 0.01)
        worst = math.max(worst, d)
        withClue(s"$name[$i]: ours ${value.doubleAt(i)} tf ${expected(i)}") { d should be <= 1e-4 }
      }
    }
    info(f"largest relative difference after $Steps steps: $worst%.2e")
  }

  for (optimizer <- Seq("gd", "momentum")) {
    test(s"1. TF's training graph ($optimizer, C++ gradients) runs 20 steps here as in TF") {
      val model = dir.resolve("tf-" + optimizer)
      val feedsFile = dir.resolve(optimizer + "-feeds.txt")
      val made = Oracle.run("make-train-mlp", model.toString, optimizer, feedsFile.toString)
      withClue(made.stderr.takeRight(3000)) { made.exitCode shouldBe 0 }
      val feeds = Files.readAllLines(feedsFile).asScala.toSeq
      val variables = Seq("W1", "b1", "W2", "b2")
      val fetches = (variables ++ (if (optimizer == "momentum") variables.map(_ + "_Momentum") else Nil)).map(_ + ":0")
      val prefix = model.resolve("variables/variables").toString
      val tf = tfTrain(model.resolve("saved_model.pb"), prefix, "train", feeds, fetches)

      val meta = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb"))).getMetaGraphs(0)
      val graph = new Graph()
      val saver = Saver.fromSaverDef(graph, MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults()))
      val session = new Session(graph)
      saver.restore(session, prefix)
      compare(session, tf, fetches, ourTrain(session, "train", feeds))
    }
  }

  private def constant(graph: Graph, name: String, value: Tensor): Output =
    graph.opBuilder("Const", name).setAttr("dtype", value.dtype()).setAttr("value", value).build().output(0)

  private def deterministic(rows: Int, cols: Int, seed: Int, scale: Float): Tensor =
    Tensor.ofFloats(Shape.of(rows, cols), Array.tabulate(rows * cols)(i => (math.rint(math.sin(seed + i) * scale * 1024) / 1024).toFloat): _*)

  /** Our MLP 6-8-3 with softmax cross-entropy and `optimizer`, a global step and a Saver; returns the train op's name. */
  private def ourModel(graph: Graph, optimizer: Optimizer): String = {
    def op(t: String, n: String, in: Output*): Output = {
      val b = graph.opBuilder(t, n)
      in.foreach(b.addInput)
      b.setAttr("T", DType.FLOAT).build().output(0)
    }
    val x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build().output(0)
    val labels = graph.opBuilder("Placeholder", "labels").setAttr("dtype", DType.FLOAT).build().output(0)
    val w1 = Variables.variable(graph, "dense/kernel", deterministic(6, 8, 11, 0.6f))
    val b1 = Variables.variable(graph, "dense/bias", Tensor.ofFloats(Shape.of(8), Array.tabulate(8)(i => 0.01f * i): _*))
    val w2 = Variables.variable(graph, "logits/kernel", deterministic(8, 3, 51, 0.6f))
    val b2 = Variables.variable(graph, "logits/bias", Tensor.ofFloats(Shape.of(3), 0.1f, -0.1f, 0f))
    val hidden = op("Relu", "dense/Relu", op("BiasAdd", "dense/BiasAdd", op("MatMul", "dense/MatMul", x, w1), b1))
    val logits = op("BiasAdd", "logits/BiasAdd", op("MatMul", "logits/MatMul", hidden, w2), b2)
    val xent = op("SoftmaxCrossEntropyWithLogits", "xent", logits, labels)
    val loss = graph.opBuilder("Mean", "loss").addInput(xent).addInput(constant(graph, "axis", Tensor.ofInts(Shape.of(1), 0)))
      .setAttr("T", DType.FLOAT).build().output(0)
    val step = GlobalStep.getOrCreate(graph)
    val train = optimizer.minimize(graph, loss, TrainableVariable.all(graph), step)
    Variables.globalVariablesInitializer(graph)
    train.name()
  }

  for ((label, make) <- Seq[(String, () => Optimizer)](
    "GradientDescent" -> (() => new GradientDescentOptimizer(0.5)),
    "Momentum (Nesterov)" -> (() => new MomentumOptimizer(0.1, 0.9, true, "Momentum")),
    "Adam" -> (() => new AdamOptimizer(0.01)))) {
    test(s"2. our training graph ($label) exported as .meta + checkpoint trains in TF as here") {
      val graph = new Graph()
      val target = ourModel(graph, make())
      val saver = Saver.builder(graph).build()
      val session = new Session(graph)
      session.run(Map.empty[String, Tensor].asJava, List.empty[String].asJava, List("init").asJava)
      val prefix = saver.save(session, dir.resolve(label.filter(_.isLetter)).resolve("model").toString)
      val feeds = Seq(
        "x=float32:4x6:" + (0 until 24).map(i => (math.rint(math.sin(7 + i) * 1.5 * 1024) / 1024).toFloat).mkString(","),
        "labels=float32:4x3:1,0,0,0,1,0,0,0,1,0,1,0")
      val fetches = io.sparkpoint.graph.Variables.globalVariableNames(graph).asScala.toSeq.map(_ + ":0")
      val tf = tfTrain(Path.of(prefix + ".meta"), prefix, target, feeds, fetches)

      compare(session, tf, fetches, ourTrain(session, target, feeds))
      tf("global_step:0").values shouldBe Seq(Steps.toString)
    }
  }
}
