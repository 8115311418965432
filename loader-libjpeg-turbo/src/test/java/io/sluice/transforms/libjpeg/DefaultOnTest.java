package io.sluice.transforms.libjpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the accelerator is on by itself, when only on request, and when not at all. */
class DefaultOnTest {
  private static final int ALL = 1 | 2 | 4 | 8 | 16;

  @Test
  void onByItselfOnlyWhereImageIoCallsTheSameLibrary() {
    assertNull(LibjpegTurboJpeg.Native.problem(true, false, ALL));
    String off = LibjpegTurboJpeg.Native.problem(false, false, ALL);
    assertTrue(off.startsWith("javax.imageio in this JVM has its own libjpeg"), off);
    assertTrue(off.contains("-Dsluice.jpeg=libjpeg-turbo"), off);
    assertNull(LibjpegTurboJpeg.Native.problem(false, true, ALL & ~8), "asked for, with 4:4:0 left to javax.imageio");
    assertEquals("its pixels differ from javax.imageio's in this JVM for every sampling layout",
        LibjpegTurboJpeg.Native.problem(true, true, 0));
  }

  @Test
  void recognisesThisJdksImageIo() throws Exception {
    java.nio.file.Path library = java.nio.file.Path.of(System.getProperty("java.home"), "lib", "libjavajpeg.so");
    if (LibjpegTurboJpeg.sharesImageIosLibrary()) {
      // then they are one library: every layout agrees (the check ran with this JVM's javax.imageio)
      assertEquals(5, LibjpegTurboJpeg.layouts().size(), LibjpegTurboJpeg.layouts()::toString);
    } else {
      // a bundled libjpeg is compiled into javax.imageio's library, which is then several times larger
      assertTrue(java.nio.file.Files.size(library) > 150_000, () -> library + " is small yet links no libjpeg");
    }
  }
}
