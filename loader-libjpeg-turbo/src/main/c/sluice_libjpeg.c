/*
 * Sluice's JNI bridge to the system's libjpeg-turbo: decodes the window of a gray or YCbCr JPEG that a crop needs,
 * as javax.imageio would (islow IDCT, fancy upsampling, libjpeg's YCbCr to RGB), but without decoding what lies
 * outside it: columns outside the window are cropped before the IDCT (jpeg_crop_scanline), rows above it are
 * skipped (jpeg_skip_scanlines: entropy-decoded only) and rows below it are never read.
 *
 * The crop and the skip stop a margin short of the window on each side: fancy upsampling takes a chroma sample's
 * neighbours into account, and at the edge of a cropped or skipped area libjpeg has none and replicates the edge,
 * so the pixels next to that edge would differ from a whole decode. A margin of one iMCU (at most 32 pixels) keeps
 * every pixel of the window identical to a whole decode.
 */
#include <jni.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#define MARGIN 32

struct sluice_error {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX + 64];
};

static void on_error(j_common_ptr cinfo) {
  struct sluice_error *e = (struct sluice_error *) cinfo->err;
  (*cinfo->err->format_message)(cinfo, e->message);
  longjmp(e->jump, 1);
}

/*
 * A warning (level -1) is corrupt or truncated data: Sluice's javax.imageio path treats it as an error, and so does
 * this, in the same words.
 */
static void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) {
    struct sluice_error *e = (struct sluice_error *) cinfo->err;
    char warning[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, warning);
    snprintf(e->message, sizeof e->message, "truncated or corrupt jpeg data (%s)", warning);
    longjmp(e->jump, 1);
  }
}

static void throw_named(JNIEnv *env, const char *class_name, const char *message) {
  jclass type = (*env)->FindClass(env, class_name);
  if (type != NULL) {
    (*env)->ThrowNew(env, type, message);
  }
}

/*
 * The JPEG's sampling layout as one bit: 1 gray; YCbCr with 1x1 chroma and luma 1x1 (4:4:4) 2, 2x1 (4:2:2) 4,
 * 1x2 (4:4:0) 8, 2x2 (4:2:0) 16; 0 for any other.
 */
static int layout(j_decompress_ptr cinfo) {
  if (cinfo->num_components == 1) {
    return 1;
  }
  jpeg_component_info *c = cinfo->comp_info;
  if (cinfo->num_components != 3 || c[1].h_samp_factor != 1 || c[1].v_samp_factor != 1
      || c[2].h_samp_factor != 1 || c[2].v_samp_factor != 1) {
    return 0;
  }
  int h = c[0].h_samp_factor, v = c[0].v_samp_factor;
  return h == 1 && v == 1 ? 2 : h == 2 && v == 1 ? 4 : h == 1 && v == 2 ? 8 : h == 2 && v == 2 ? 16 : 0;
}

/*
 * Decodes the window (x, y, width, height) of the image reduced by `reduction` (1, 2, 4 or 8, in the DCT domain)
 * into a new byte[width * height * channels]; a width of 0 means the whole (reduced) image, whose size then goes
 * into size[0], size[1]. Returns NULL without an exception, for javax.imageio to decode, if the JPEG's components are
 * not what channels says (3: YCbCr, or gray too if gray_to_rgb; 1: gray) or its sampling layout is not one of the
 * layouts given (bits as layout() returns them; -1 for any).
 */
static jbyteArray decode(JNIEnv *env, jbyteArray jpeg, jint layouts, jint channels, int gray_to_rgb, jint reduction,
    jint x, jint y, jint width, jint height, jintArray size) {
  struct jpeg_decompress_struct cinfo;
  struct sluice_error error;
  jsize length = (*env)->GetArrayLength(env, jpeg);
  unsigned char *volatile source = malloc(length > 0 ? length : 1);
  unsigned char *volatile row = NULL;
  volatile jbyteArray out = NULL;
  if (source == NULL) {
    throw_named(env, "java/lang/OutOfMemoryError", "no native memory for the jpeg's bytes");
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, jpeg, 0, length, (jbyte *) source);

  cinfo.err = jpeg_std_error(&error.pub);
  error.pub.error_exit = on_error;
  error.pub.emit_message = on_message;
  jpeg_create_decompress(&cinfo);
  if (setjmp(error.jump)) {
    jpeg_destroy_decompress(&cinfo);
    free(source);
    free(row);
    if (out != NULL) {
      (*env)->DeleteLocalRef(env, out);
    }
    if (!(*env)->ExceptionCheck(env)) {
      throw_named(env, "io/sluice/transforms/MalformedImageException", error.message);
    }
    return NULL;
  }
  jpeg_mem_src(&cinfo, source, (unsigned long) length);
  jpeg_read_header(&cinfo, TRUE);
  int gray = cinfo.jpeg_color_space == JCS_GRAYSCALE && cinfo.num_components == 1;
  int handled = channels == 3 ? (cinfo.jpeg_color_space == JCS_YCbCr && cinfo.num_components == 3)
      || (gray && gray_to_rgb) : channels == 1 && gray;
  if (!handled || (layouts != -1 && (layout(&cinfo) & layouts) == 0) || cinfo.data_precision != 8) {
    jpeg_destroy_decompress(&cinfo);
    free(source);
    return NULL;
  }
  cinfo.out_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  cinfo.scale_num = 1;
  cinfo.scale_denom = reduction;
  jpeg_calc_output_dimensions(&cinfo);
  JDIMENSION image_width = cinfo.output_width, image_height = cinfo.output_height;
  if (width == 0) {
    x = 0;
    y = 0;
    width = image_width;
    height = image_height;
  }
  if (x < 0 || y < 0 || width <= 0 || height <= 0 || (JDIMENSION) x + width > image_width
      || (JDIMENSION) y + height > image_height) {
    /* the caller took the window from the first frame header it found; libjpeg read another */
    snprintf(error.message, sizeof error.message, "the window %dx%d at (%d, %d) is not inside the %ux%u frame",
        width, height, x, y, image_width, image_height);
    longjmp(error.jump, 1);
  }
  jpeg_start_decompress(&cinfo);

  JDIMENSION left = x > MARGIN ? x - MARGIN : 0;
  JDIMENSION right = (JDIMENSION) x + width + MARGIN < image_width ? (JDIMENSION) x + width + MARGIN : image_width;
  if (left > 0 || right < image_width) {
    JDIMENSION cropped = right - left;
    jpeg_crop_scanline(&cinfo, &left, &cropped); /* moves left down to an iMCU boundary, widens cropped */
  }
  JDIMENSION top = y > MARGIN ? y - MARGIN : 0;
  if (top > 0) {
    jpeg_skip_scanlines(&cinfo, top);
  }
  row = malloc((size_t) cinfo.output_width * channels);
  out = (*env)->NewByteArray(env, width * height * channels);
  if (row == NULL || out == NULL) {
    if (row == NULL && !(*env)->ExceptionCheck(env)) {
      throw_named(env, "java/lang/OutOfMemoryError", "no native memory for a row");
    }
    jpeg_destroy_decompress(&cinfo);
    free(source);
    free(row);
    return NULL;
  }
  JDIMENSION end = (JDIMENSION) y + height;
  jsize span = width * channels;
  while (cinfo.output_scanline < end) {
    JDIMENSION line = cinfo.output_scanline;
    JSAMPROW rows[1] = {row};
    if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) {
      strcpy(error.message, "no more rows (the data ended too soon)");
      longjmp(error.jump, 1);
    }
    if (line >= (JDIMENSION) y) {
      (*env)->SetByteArrayRegion(env, out, (jsize) (line - y) * span, span,
          (const jbyte *) (row + (size_t) (x - left) * channels));
    }
  }
  if (end < cinfo.output_height) {
    jpeg_abort_decompress(&cinfo);
  } else {
    jpeg_finish_decompress(&cinfo);
  }
  jpeg_destroy_decompress(&cinfo);
  free(source);
  free(row);
  if (size != NULL) {
    jint dimensions[2] = {width, height};
    (*env)->SetIntArrayRegion(env, size, 0, 2, dimensions);
  }
  return out;
}

/* The accelerator: a full-size window, javax.imageio's way (see LibjpegTurboJpeg). */
JNIEXPORT jbyteArray JNICALL Java_io_sluice_transforms_libjpeg_LibjpegTurboJpeg_decodeWindow(JNIEnv *env, jclass type,
    jbyteArray jpeg, jint layouts, jint channels, jint x, jint y, jint width, jint height) {
  if (width <= 0 || height <= 0) {
    throw_named(env, "java/lang/IllegalArgumentException", "the window must not be empty");
    return NULL;
  }
  return decode(env, jpeg, layouts, channels, 0, 1, x, y, width, height, NULL);
}

/*
 * The decoder JpegDecoder.LIBJPEG_TURBO: a gray or YCbCr JPEG to RGB, the whole image reduced by `reduction`
 * (width 0) or a window at full size; the size of what was decoded goes into size.
 */
JNIEXPORT jbyteArray JNICALL Java_io_sluice_transforms_libjpeg_LibjpegTurboCodec_decodeRgb(JNIEnv *env, jclass type,
    jbyteArray jpeg, jint reduction, jint x, jint y, jint width, jint height, jintArray size) {
  if (reduction != 1 && reduction != 2 && reduction != 4 && reduction != 8) {
    throw_named(env, "java/lang/IllegalArgumentException", "reduction must be 1, 2, 4 or 8");
    return NULL;
  }
  return decode(env, jpeg, -1, 3, 1, reduction, x, y, width, height, size);
}
