package io.sparkpoint.it.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The mock server's store, plus server-side apply (a PATCH of type application/apply-patch+yaml), which
 * Spark's submission client uses for the driver's service and config map: applied to a resource that
 * doesn't exist yet it creates it, and otherwise replaces it, as an API server would for a sole field manager.
 */
final class ApplyingDispatcher extends KubernetesCrudDispatcher {
  private static final String APPLY_PATCH = "application/apply-patch+yaml";

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.startsWith(APPLY_PATCH)) {
      return super.handlePatch(request);
    }
    String resource = request.getPath().split("\\?", 2)[0];
    if (handleGet(resource).code() == 404) {
      String collection = resource.substring(0, resource.lastIndexOf('/'));
      return handleCreate(new RecordedRequest("POST " + collection + " HTTP/1.1", HttpMethod.POST, collection, request.getHeaders(),
          request.getBody()));
    }
    return handleUpdate(new RecordedRequest("PUT " + resource + " HTTP/1.1", HttpMethod.PUT, resource, request.getHeaders(),
        request.getBody()));
  }
}
