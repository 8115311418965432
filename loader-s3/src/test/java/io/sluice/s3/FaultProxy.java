package io.sluice.s3;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on 127.0.0.1 in front of an S3 server that injects the faults S3 shows under load: 503
 * SlowDown, 500, a connection reset mid-body, a body cut short after the full Content-Length was announced,
 * a slow drip, latency spikes, and a connection that stops sending mid-body and stays open (until the client gives
 * up on it). Each at a configured rate, on object GETs only (listings and writes pass untouched).
 *
 * <p>Whether the n-th request for an object (and range) meets a fault is a function of (seed, method, path,
 * range, n) alone, so a run is reproducible from its seed whatever the thread timing. Requests pass through
 * byte for byte (SigV4 signatures stay valid); each is forwarded on its own connection.
 */
final class FaultProxy implements AutoCloseable {
  /** The faults, in the order the rates are applied. */
  enum Fault { SLOW_DOWN_503, INTERNAL_ERROR_500, RESET_MID_BODY, TRUNCATED_BODY, DRIP, LATENCY_SPIKE, STALL_MID_BODY }

  private final InetSocketAddress upstream;
  private final long seed;
  private final Map<Fault, Double> rates;
  private final long dripMillis;
  private final long spikeMillis;
  private final ServerSocket server;
  private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong objectGets = new AtomicLong();
  private volatile boolean closed;

  private FaultProxy(Builder b) throws IOException {
    this.upstream = new InetSocketAddress(b.upstream.getHost(), b.upstream.getPort());
    this.seed = b.seed;
    this.rates = Map.copyOf(b.rates);
    this.dripMillis = b.dripMillis;
    this.spikeMillis = b.spikeMillis;
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static Builder builder(URI upstream) {
    return new Builder(upstream);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  long requests() {
    return requests.get();
  }

  /** GETs of objects (not listings) that reached the proxy. */
  long objectGets() {
    return objectGets.get();
  }

  long injected(Fault fault) {
    return injected.get(fault).get();
  }

  long injectedTotal() {
    return injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    connections.shutdownNow();
    try {
      connections.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        connections.execute(() -> handle(client));
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
      }
    }
  }

  /** One request: read it, decide its fault, answer or forward. */
  private void handle(Socket client) {
    try (client) {
      client.setTcpNoDelay(true);
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      Head request = Head.read(in);
      if (request == null) {
        return;
      }
      requests.incrementAndGet();
      if (request.header("expect") != null) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        request.remove("expect");
      }
      long length = request.contentLength();
      byte[] body = length > 0 ? in.readNBytes((int) length) : new byte[0];
      request.set("Connection", "close");
      String[] parts = request.firstLine.split(" ");
      boolean objectGet = parts[0].equals("GET") && isObjectPath(parts[1]);
      Fault fault = null;
      if (objectGet) {
        objectGets.incrementAndGet();
        fault = decide(parts[0] + " " + parts[1] + " " + request.header("range"));
      }
      if (fault == Fault.SLOW_DOWN_503 || fault == Fault.INTERNAL_ERROR_500) {
        injected.get(fault).incrementAndGet();
        boolean slow = fault == Fault.SLOW_DOWN_503;
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + (slow ? "SlowDown" : "InternalError")
            + "</Code><Message>" + (slow ? "Please reduce your request rate." : "We encountered an internal error.")
            + "</Message></Error>";
        byte[] payload = xml.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + (slow ? "503 Slow Down" : "500 Internal Server Error") + "\r\n"
            + "Content-Type: application/xml\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(payload);
        out.flush();
        return;
      }
      if (fault == Fault.LATENCY_SPIKE) {
        injected.get(fault).incrementAndGet();
        Thread.sleep(spikeMillis);
      }
      try (Socket up = new Socket()) {
        up.connect(upstream, 5000);
        up.setTcpNoDelay(true);
        OutputStream upOut = up.getOutputStream();
        upOut.write(request.bytes());
        upOut.write(body);
        upOut.flush();
        InputStream upIn = up.getInputStream();
        Head response = Head.read(upIn);
        if (response == null) {
          return;
        }
        long announced = response.contentLength();
        boolean bodyFault = fault == Fault.RESET_MID_BODY || fault == Fault.TRUNCATED_BODY || fault == Fault.DRIP
            || fault == Fault.STALL_MID_BODY;
        if (!bodyFault || announced < 2 || !response.firstLine.contains(" 20")) {
          out.write(response.bytes());
          upIn.transferTo(out);
          out.flush();
          return;
        }
        injected.get(fault).incrementAndGet();
        byte[] content = upIn.readNBytes((int) announced);
        out.write(response.bytes());
        if (fault == Fault.DRIP) {
          int chunks = 20;
          int step = Math.max(1, content.length / chunks);
          for (int at = 0; at < content.length; at += step) {
            out.write(content, at, Math.min(step, content.length - at));
            out.flush();
            Thread.sleep(Math.max(1, dripMillis / chunks));
          }
          return;
        }
        out.write(content, 0, content.length / 2);
        out.flush();
        if (fault == Fault.STALL_MID_BODY) {
          client.setSoTimeout(60_000); // a bound on the test, not on the client
          while (in.read() >= 0) {
            // silent until the client closes the connection
          }
          return;
        }
        if (fault == Fault.RESET_MID_BODY) {
          client.setSoLinger(true, 0); // close() now sends RST
        }
      }
    } catch (IOException e) {
      // The client or upstream went away: nothing to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Path-style object path: /bucket/key... without a listing query. */
  private static boolean isObjectPath(String target) {
    String path = target;
    int q = target.indexOf('?');
    if (q >= 0) {
      String query = target.substring(q + 1);
      if (query.contains("list-type") || query.contains("versions") || query.contains("uploads")
          || query.contains("location") || query.contains("versioning")) {
        return false;
      }
      path = target.substring(0, q);
    }
    int slash = path.indexOf('/', 1);
    return slash > 0 && slash < path.length() - 1;
  }

  private Fault decide(String what) {
    int n = attempts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    long h = seed;
    for (byte b : what.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001B3L;
    }
    h ^= n * 0x9E3779B97F4A7C15L;
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    double u = (h >>> 11) * 0x1.0p-53;
    for (Fault f : Fault.values()) {
      double rate = rates.getOrDefault(f, 0.0);
      if (u < rate) {
        return f;
      }
      u -= rate;
    }
    return null;
  }

  /** A request or response head: first line and headers, in order. */
  private static final class Head {
    final String firstLine;
    final List<String[]> headers = new ArrayList<>();

    private Head(String firstLine) {
      this.firstLine = firstLine;
    }

    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
      int state = 0;
      while (state < 4) {
        int b = in.read();
        if (b < 0) {
          if (buf.size() == 0) {
            return null;
          }
          throw new EOFException("head ended early");
        }
        buf.write(b);
        state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
            : b == '\r' ? 1 : 0;
      }
      String[] lines = buf.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      Head head = new Head(lines[0]);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          head.headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
        }
      }
      return head;
    }

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    void remove(String name) {
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    }

    void set(String name, String value) {
      remove(name);
      headers.add(new String[] {name, value});
    }

    long contentLength() {
      String v = header("content-length");
      return v == null ? -1 : Long.parseLong(v.trim());
    }

    byte[] bytes() {
      StringBuilder sb = new StringBuilder(firstLine).append("\r\n");
      for (String[] h : headers) {
        sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  /** Configures a {@link FaultProxy}. */
  static final class Builder {
    private final URI upstream;
    private long seed = 1;
    private final Map<Fault, Double> rates = new java.util.EnumMap<>(Fault.class);
    private long dripMillis = 500;
    private long spikeMillis = 300;

    private Builder(URI upstream) {
      this.upstream = upstream;
    }

    Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    Builder rate(Fault fault, double rate) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "rate of %s must be in [0, 1], was %f", fault, rate));
      }
      rates.put(fault, rate);
      return this;
    }

    Builder drip(long millis) {
      this.dripMillis = millis;
      return this;
    }

    Builder spike(long millis) {
      this.spikeMillis = millis;
      return this;
    }

    FaultProxy start() throws IOException {
      double sum = rates.values().stream().mapToDouble(Double::doubleValue).sum();
      if (sum > 1) {
        throw new IllegalArgumentException("fault rates add up to " + sum + ", more than 1");
      }
      return new FaultProxy(this);
    }
  }
}
