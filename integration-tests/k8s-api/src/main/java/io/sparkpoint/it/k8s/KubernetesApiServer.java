package io.sparkpoint.it.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * A Kubernetes API server on 127.0.0.1 that stores what clients create or apply and answers reads, lists and watches
 * from it. Prints {@code listening http://127.0.0.1:PORT} and serves until its standard input closes.
 */
public final class KubernetesApiServer {
  private KubernetesApiServer() {}

  public static void main(String[] args) throws IOException {
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new ApplyingDispatcher(), false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    System.out.println("listening http://127.0.0.1:" + server.getPort());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // serve until the parent closes our stdin (or dies)
      }
    } finally {
      server.destroy();
    }
  }
}
