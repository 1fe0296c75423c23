package io.sparkpoint.it

import java.nio.file.Files

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.Path
import org.apache.hadoop.hdfs.MiniDFSCluster

/** HDFS in the test JVM: a MiniDFSCluster under a new temporary directory, with `/sparkpoint` made. */
object MiniDfs {
  def start(dataNodes: Int): MiniDFSCluster = {
    val base = Files.createTempDirectory("minidfs")
    val conf = new Configuration()
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString)
    val cluster = new MiniDFSCluster.Builder(conf, base.toFile).numDataNodes(dataNodes).build()
    cluster.waitActive()
    cluster.getFileSystem.mkdirs(new Path("/sparkpoint"))
    cluster
  }

  /** `hdfs://host:port/sparkpoint`: where a suite writes. */
  def root(cluster: MiniDFSCluster): String = cluster.getFileSystem.getUri.toString + "/sparkpoint"
}
