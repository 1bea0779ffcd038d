package io.sluice.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Receives the first {@link SlowClientLimits#prefetchBytes()} of every body asynchronously, holding
 * no thread, and only then hands the request to the endpoints, which read with blocking IO. A
 * client that sends slowly or stalls therefore waits in the selector, not on a request thread, and
 * hundreds of them cannot starve everyone else.
 *
 * <p>What arrives is copied, never retained: a client sending a byte per packet would otherwise pin
 * a network buffer per byte. A body that stalls for the idle timeout, or arrives slower on average
 * than the minimum rate, is answered 408 without ever reaching an endpoint.
 */
final class BodyPrefetch implements EagerContentHandler.ContentLoaderFactory {

  private final SlowClientLimits limits;
  private final IngestMetrics metrics;

  BodyPrefetch(SlowClientLimits limits, IngestMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  /** The handler to install in front of the endpoints. */
  static EagerContentHandler handler(SlowClientLimits limits, IngestMetrics metrics) {
    return new EagerContentHandler(new BodyPrefetch(limits, metrics));
  }

  @Override
  public String getApplicableMimeType() {
    return null; // every content type
  }

  @Override
  public EagerContentHandler.ContentLoader newContentLoader(
      String contentType,
      String mimeType,
      Handler handler,
      Request request,
      Response response,
      Callback callback) {
    return new Loader(handler, request, response, callback);
  }

  /** One request's prefetch: reads what is available, then waits for more without a thread. */
  private final class Loader extends EagerContentHandler.ContentLoader implements Invocable.Task {
    private final ByteArrayOutputStream received;
    private long firstByteNanos = -1;

    Loader(Handler handler, Request request, Response response, Callback callback) {
      super(handler, request, response, callback);
      long declared = request.getLength();
      received =
          new ByteArrayOutputStream(
              (int) Math.min(limits.prefetchBytes(), declared > 0 ? declared : 8192));
    }

    @Override
    protected void load() {
      readAvailable(false);
    }

    /** Called by Jetty when more content (or a failure) is available. */
    @Override
    public void run() {
      readAvailable(true);
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }

    private void readAvailable(boolean onDemandCallback) {
      while (true) {
        Content.Chunk chunk = getRequest().read();
        if (chunk == null) {
          getRequest().demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          refuse(chunk.getFailure());
          return;
        }
        boolean last = chunk.isLast();
        copy(chunk);
        if (tooSlow()) {
          refuse(HttpStatus.REQUEST_TIMEOUT_408, limits.tooSlowDetail());
          return;
        }
        if (last || received.size() >= limits.prefetchBytes()) {
          handOn(last, onDemandCallback);
          return;
        }
      }
    }

    private void copy(Content.Chunk chunk) {
      ByteBuffer bytes = chunk.getByteBuffer();
      if (bytes.hasRemaining() && firstByteNanos < 0) {
        firstByteNanos = System.nanoTime();
      }
      byte[] copied = new byte[bytes.remaining()];
      bytes.get(copied);
      received.write(copied, 0, copied.length);
      chunk.release();
    }

    private boolean tooSlow() {
      if (limits.minRequestBytesPerSecond() <= 0 || firstByteNanos < 0) {
        return false;
      }
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstByteNanos);
      return received.size() < limits.minRequestBytesPerSecond() * elapsedMillis / 1000;
    }

    /** The endpoints block, so a demand callback (a selector thread) must not run them itself. */
    private void handOn(boolean complete, boolean onDemandCallback) {
      Replay replay = new Replay(getRequest(), received.toByteArray(), complete);
      if (onDemandCallback) {
        getRequest().getContext().execute(() -> handle(replay, getResponse(), getCallback()));
      } else {
        handle(replay, getResponse(), getCallback());
      }
    }

    private void refuse(Throwable failure) {
      if (failure instanceof TimeoutException) {
        refuse(
            HttpStatus.REQUEST_TIMEOUT_408,
            "no bytes of the body for "
                + limits.idleTimeout().toMillis()
                + " ms ("
                + IngestConfig.IDLE_TIMEOUT_MS_CONFIG
                + "); nothing was written");
      } else {
        refuse(
            HttpStatus.BAD_REQUEST_400,
            "the body could not be read (" + failure.getMessage() + "); nothing was written");
      }
    }

    private void refuse(int status, String message) {
      metrics.rejected(
          status == HttpStatus.REQUEST_TIMEOUT_408
              ? Problem.Kind.REQUEST_TIMEOUT
              : Problem.Kind.BAD_REQUEST,
          1);
      // The rest of the body is never read: the connection cannot carry another request.
      getResponse().getHeaders().put("Connection", "close");
      Response.writeError(getRequest(), getResponse(), getCallback(), status, message);
    }
  }

  /** The request as the endpoints see it: the prefetched bytes first, then the rest as it comes. */
  private static final class Replay extends Request.Wrapper {
    private Content.Chunk prefetched;

    Replay(Request request, byte[] bytes, boolean complete) {
      super(request);
      prefetched = Content.Chunk.from(ByteBuffer.wrap(bytes), complete);
    }

    @Override
    public Content.Chunk read() {
      synchronized (this) {
        if (prefetched != null) {
          Content.Chunk chunk = prefetched;
          prefetched = null;
          return chunk;
        }
      }
      return super.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
      boolean ready;
      synchronized (this) {
        ready = prefetched != null;
      }
      if (ready) {
        getContext().execute(demandCallback);
      } else {
        super.demand(demandCallback);
      }
    }
  }
}
