package io.sluice.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages, for requests it refuses before Javalin sees them, rewritten as RFC 9457
 * problems so that clients parse one error format whatever rejected the request.
 */
final class ProblemErrorHandler extends ErrorHandler {

  private final ObjectMapper mapper;

  ProblemErrorHandler(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body(status, message)), callback);
  }

  /** Requests so malformed that Jetty's parser gave up on them (e.g. a bad Content-Length). */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    return ByteBuffer.wrap(body(status, reason));
  }

  private byte[] body(int status, String message) {
    String detail =
        message == null || message.isBlank() ? "the request could not be read" : message;
    try {
      return mapper.writeValueAsBytes(IngestServer.statusProblem(status, detail));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a problem body", e);
    }
  }
}
