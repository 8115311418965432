package io.sluice.loader.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Utf8ReaderTest {
  /** Hands out one byte per read, so every multi-byte character straddles reads. */
  private static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(1, len));
      }
    };
  }

  private static String readAll(Reader r) throws IOException {
    StringWriter out = new StringWriter();
    r.transferTo(out);
    return out.toString();
  }

  @Test
  void decodesCharactersSplitAcrossReadsAndDropsTheByteOrderMark() throws IOException {
    String text = "\uFEFFcat/\u00e9t\u00e9/\u732b/\ud83d\udc31.jpg\n\uFEFF kept";
    assertEquals(text.substring(1), readAll(new Utf8Reader(trickle(text.getBytes(StandardCharsets.UTF_8)))));
    assertEquals("", readAll(new Utf8Reader(new ByteArrayInputStream(new byte[0]))));
  }

  @Test
  void handsOutEveryGoodCharacterBeforeFailing() throws IOException {
    byte[] bytes = {'a', 'b', '\n', 'c', (byte) 0xE9, 'd'};
    Reader r = new Utf8Reader(new ByteArrayInputStream(bytes));
    char[] buffer = new char[100];
    assertEquals(4, r.read(buffer, 0, 100));
    assertEquals("ab\nc", new String(buffer, 0, 4));
    assertThrows(MalformedInputException.class, () -> r.read(buffer, 0, 100));
    byte[] truncated = {'a', (byte) 0xE7, (byte) 0x8C};
    assertThrows(MalformedInputException.class, () -> readAll(new Utf8Reader(new ByteArrayInputStream(truncated))));
  }

  @Test
  void malformedBytesAreReportedAtTheirLineAndColumn() {
    byte[] csv = "uri,label\ns3://b/a/1,ok\ns3://b/a/\u00e9,x\n".getBytes(StandardCharsets.ISO_8859_1);
    ManifestException e = assertThrows(ManifestException.class,
        () -> Manifests.reader().build().readChannels(trickle(csv), "latin1.csv"));
    assertTrue(e.getMessage().startsWith("latin1.csv:3:10: malformed UTF-8"), e.getMessage());
    byte[] keys = "s3://b/a/1\ns3://b/a/2\ns3://b/\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    ManifestException k = assertThrows(ManifestException.class,
        () -> Manifests.reader().build().readChannels(new ByteArrayInputStream(keys), "latin1.txt"));
    assertTrue(k.getMessage().startsWith("latin1.txt:3: malformed UTF-8"), k.getMessage());
    byte[] json = "{\"source-ref\":\"s3://b/a/1\",\"class\":\"a\"}\n{\"source-ref\":\"s3://b/\u00e9\",\"class\":\"a\"}\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    ManifestException j = assertThrows(ManifestException.class,
        () -> Manifests.reader().build().readChannels(new ByteArrayInputStream(json), "latin1.jsonl"));
    assertTrue(j.getMessage().startsWith("latin1.jsonl:2:"), j.getMessage());
    assertTrue(j.getMessage().contains("UTF-8"), j.getMessage());
  }

  @Test
  void csvQuotingEdgeCases() throws IOException {
    String csv = "uri,label\r\n\"s3://b/a/x\"\"y\",\"\"\r\n\r\n\"s3://b/a/multi\nline\",a\rs3://b/a/z,\"a\"";
    Map<String, Manifest> m = Manifests.reader().prefix("s3://b/a/").build()
        .readChannels(trickle(csv.getBytes(StandardCharsets.UTF_8)), "q.csv");
    Manifest train = m.get("train");
    assertEquals(3, train.size());
    assertEquals("x\"y", train.key(0));
    assertEquals(Manifest.NO_LABEL, train.label(0));
    assertEquals("multi\nline", train.key(1));
    assertEquals("z", train.key(2));
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.reader().build().readChannels(
        new ByteArrayInputStream("uri,label\n\"s3://b/a/multi\nline\",a\ns3://b/a/1,a,b\n".getBytes()), "q.csv"));
    assertTrue(e.getMessage().startsWith("q.csv:4:1: found 3 fields"), "lines count inside quotes: " + e.getMessage());
  }
}
