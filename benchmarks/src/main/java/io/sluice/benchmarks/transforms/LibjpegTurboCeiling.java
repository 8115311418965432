package io.sluice.benchmarks.transforms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The libjpeg-turbo ceiling for W1: the same work as the Java chain, done by a small C program against the
 * system's libjpeg (libjpeg-turbo on Debian and Ubuntu), compiled here at run time with {@code gcc -O3
 * -march=native}.
 *
 * <p>Per image: decode to RGB ({@code JDCT_ISLOW}, smooth chroma upsampling, as javax.imageio asks), choose a
 * RandomResizedCrop window (scale 0.08 to 1, ratio 3/4 to 4/3, ten attempts, then the centre crop), resize
 * it bilinearly to 224x224 while flipping with probability 0.5, and write {@code (v / 255 - mean) / std}
 * into its slot of a 64-image NCHW float batch. Threads are POSIX threads, each with its own decoder.
 *
 * <p>Needs {@code gcc} and the libjpeg headers ({@code libjpeg62-turbo-dev} or {@code libjpeg-turbo8-dev});
 * {@link #compile} says what is missing otherwise.
 */
public final class LibjpegTurboCeiling {
  static final String SOURCE = """
      /* W1: libjpeg-turbo decode + RandomResizedCrop(224) + horizontal flip(0.5) + normalise into NCHW float. */
      #include <math.h>
      #include <pthread.h>
      #include <stdint.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <time.h>
      #include <jpeglib.h>

      #define SIZE 224
      #define BATCH 64
      static int count_images;
      static long per_thread;
      static unsigned char **data;
      static unsigned long *lengths;
      static const float MEAN[3] = {0.485f, 0.456f, 0.406f}, STD[3] = {0.229f, 0.224f, 0.225f};

      static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
      static uint64_t next(uint64_t *s) {
        uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL; return z ^ (z >> 31);
      }
      static double uniform(uint64_t *s, double a, double b) { return a + (b - a) * ((next(s) >> 11) * 0x1.0p-53); }

      static void *work(void *arg) {
        uint64_t rng = (uint64_t) (uintptr_t) arg;
        unsigned char *rgb = malloc(4096 * 4096 * 3);
        float *batch = malloc(sizeof(float) * BATCH * 3 * SIZE * SIZE);
        int xl[SIZE], xh[SIZE]; float xf[SIZE];
        float scale[3], shift[3];
        for (int c = 0; c < 3; c++) { scale[c] = 1.0f / (255.0f * STD[c]); shift[c] = -MEAN[c] / STD[c]; }
        struct jpeg_decompress_struct cinfo; struct jpeg_error_mgr jerr;
        cinfo.err = jpeg_std_error(&jerr);
        jpeg_create_decompress(&cinfo);
        int i = (int) (rng % count_images);
        for (long done = 0; done < per_thread; done++, i = (i + 1) % count_images) {
          jpeg_mem_src(&cinfo, data[i], lengths[i]);
          jpeg_read_header(&cinfo, TRUE);
          cinfo.out_color_space = JCS_RGB;
          jpeg_start_decompress(&cinfo);
          int W = cinfo.output_width, H = cinfo.output_height, stride = W * 3;
          while (cinfo.output_scanline < cinfo.output_height) {
            JSAMPROW row = rgb + (size_t) cinfo.output_scanline * stride;
            jpeg_read_scanlines(&cinfo, &row, 1);
          }
          jpeg_finish_decompress(&cinfo);
          int cx = 0, cy = 0, cw = W, ch = H, found = 0;
          for (int a = 0; a < 10 && !found; a++) {
            double area = (double) W * H * uniform(&rng, 0.08, 1.0);
            double ratio = exp(uniform(&rng, log(3.0 / 4), log(4.0 / 3)));
            int w = (int) rint(sqrt(area * ratio)), h = (int) rint(sqrt(area / ratio));
            if (w > 0 && h > 0 && w <= W && h <= H) {
              cy = (int) (next(&rng) % (uint64_t) (H - h + 1)); cx = (int) (next(&rng) % (uint64_t) (W - w + 1));
              cw = w; ch = h; found = 1;
            }
          }
          if (!found) {
            double in = (double) W / H;
            if (in < 0.75) { cw = W; ch = (int) rint(W / 0.75); } else if (in > 4.0 / 3) { ch = H; cw = (int) rint(H * 4.0 / 3); }
            cx = (W - cw) / 2; cy = (H - ch) / 2;
          }
          int flip = (next(&rng) >> 63) != 0;
          float *out = batch + (size_t) (done % BATCH) * 3 * SIZE * SIZE;
          double sx = (double) cw / SIZE, sy = (double) ch / SIZE;
          for (int x = 0; x < SIZE; x++) {
            double s = fmin(fmax((x + 0.5) * sx - 0.5, 0), cw - 1); int f = (int) s;
            int dx = flip ? SIZE - 1 - x : x;
            xl[dx] = (cx + f) * 3; xh[dx] = (cx + (f + 1 < cw ? f + 1 : cw - 1)) * 3; xf[dx] = (float) (s - f);
          }
          for (int y = 0; y < SIZE; y++) {
            double s = fmin(fmax((y + 0.5) * sy - 0.5, 0), ch - 1); int f = (int) s; float fy = (float) (s - f);
            const unsigned char *top = rgb + (size_t) (cy + f) * stride;
            const unsigned char *bottom = rgb + (size_t) (cy + (f + 1 < ch ? f + 1 : ch - 1)) * stride;
            for (int x = 0; x < SIZE; x++) {
              for (int c = 0; c < 3; c++) {
                float t = top[xl[x] + c] + (top[xh[x] + c] - top[xl[x] + c]) * xf[x];
                float b = bottom[xl[x] + c] + (bottom[xh[x] + c] - bottom[xl[x] + c]) * xf[x];
                float v = (float) (int) (t + (b - t) * fy + 0.5f);
                out[(c * SIZE + y) * SIZE + x] = v * scale[c] + shift[c];
              }
            }
          }
        }
        jpeg_destroy_decompress(&cinfo);
        free(rgb); free(batch);
        return NULL;
      }

      int main(int argc, char **argv) {
        if (argc < 4) { fprintf(stderr, "usage: %s threads images file...\\n", argv[0]); return 2; }
        int threads = atoi(argv[1]); long images = atol(argv[2]); count_images = argc - 3;
        per_thread = images / threads;
        data = malloc(sizeof(*data) * count_images); lengths = malloc(sizeof(*lengths) * count_images);
        for (int i = 0; i < count_images; i++) {
          FILE *f = fopen(argv[i + 3], "rb"); if (!f) { perror(argv[i + 3]); return 1; }
          fseek(f, 0, SEEK_END); lengths[i] = ftell(f); fseek(f, 0, SEEK_SET);
          data[i] = malloc(lengths[i]); if (fread(data[i], 1, lengths[i], f) != lengths[i]) return 1; fclose(f);
        }
        pthread_t *ids = malloc(sizeof(*ids) * threads);
        double start = now();
        for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, work, (void *) (uintptr_t) (t * 7919 + 1));
        for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
        printf("%.1f\\n", per_thread * threads / (now() - start));
        return 0;
      }
      """;

  private final Path binary;
  private final List<Path> images;

  private LibjpegTurboCeiling(Path binary, List<Path> images) {
    this.binary = binary;
    this.images = images;
  }

  /**
   * Compiles the program in {@code dir} and writes the W1 images there.
   *
   * @throws IllegalStateException with gcc's output if it cannot be compiled (no gcc, no libjpeg headers)
   */
  public static LibjpegTurboCeiling compile(Path dir, List<byte[]> jpegs) {
    try {
      Files.createDirectories(dir);
      Path source = dir.resolve("w1_ceiling.c");
      Files.writeString(source, SOURCE, StandardCharsets.UTF_8);
      Path binary = dir.resolve("w1_ceiling");
      List<String> command = List.of("gcc", "-O3", "-march=native", "-o", binary.toString(), source.toString(),
          "-ljpeg", "-lm", "-lpthread");
      Process gcc;
      try {
        gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot run gcc (" + e.getMessage() + "); install gcc and the libjpeg-turbo"
            + " headers to measure the C ceiling", e);
      }
      String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
        throw new IllegalStateException("gcc could not build the C ceiling (are the libjpeg-turbo headers installed?"
            + " e.g. apt-get install libjpeg62-turbo-dev): " + output);
      }
      return new LibjpegTurboCeiling(binary, W1Images.write(jpegs, dir.resolve("images")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the program on {@code threads} threads for {@code images} images in all and returns the images per
   * second it measured itself (reading the files is not timed).
   */
  public double run(int threads, long images) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), Integer.toString(threads), Long.toString(images)));
    for (Path image : this.images) {
      command.add(image.toString());
    }
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("the C ceiling failed: " + output);
      }
      return Double.parseDouble(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
