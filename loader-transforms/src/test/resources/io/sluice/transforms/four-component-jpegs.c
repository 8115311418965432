/* The generator of cmyk-adobe.jpg and ycck-adobe.jpg, the fixtures of DecodeFormatsTest:
     gcc four-component-jpegs.c -o four-component-jpegs -ljpeg && ./four-component-jpegs
   Writes 16x16 four-component JPEGs (quality 100, no subsampling) with an Adobe marker: CMYK (transform 0)
   and YCCK (transform 2), as libjpeg(-turbo) writes them. Four flat 8x8 blocks; samples are stored as Adobe
   applications store them (inverted: 255 = no ink). */
#include <stdio.h>
#include <jpeglib.h>
static const unsigned char BLOCKS[4][4] = {{255, 255, 255, 255}, {200, 100, 50, 220}, {30, 240, 128, 255}, {128, 128, 128, 64}};
static void write(const char *path, J_COLOR_SPACE space) {
  struct jpeg_compress_struct c; struct jpeg_error_mgr e; FILE *f = fopen(path, "wb");
  c.err = jpeg_std_error(&e); jpeg_create_compress(&c); jpeg_stdio_dest(&c, f);
  c.image_width = 16; c.image_height = 16; c.input_components = 4; c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c); jpeg_set_colorspace(&c, space); jpeg_set_quality(&c, 100, TRUE);
  for (int i = 0; i < 4; i++) { c.comp_info[i].h_samp_factor = 1; c.comp_info[i].v_samp_factor = 1; }
  jpeg_start_compress(&c, TRUE);
  unsigned char row[16 * 4];
  while (c.next_scanline < 16) {
    for (int x = 0; x < 16; x++) { const unsigned char *b = BLOCKS[(c.next_scanline / 8) * 2 + x / 8]; for (int k = 0; k < 4; k++) row[x * 4 + k] = b[k]; }
    JSAMPROW r = row; jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c); jpeg_destroy_compress(&c); fclose(f);
}
int main(void) { write("cmyk-adobe.jpg", JCS_CMYK); write("ycck-adobe.jpg", JCS_YCCK); return 0; }
