import sharp from 'sharp';

// libvips ships parsers for far more formats than the service accepts (TIFF,
// SVG through librsvg, GIF, PDF, raw camera files, its own .v format, and
// ImageMagick where present). Each is attack surface for bytes anyone can
// upload. File-type sniffing already refuses those formats, but a sniffer and
// libvips can disagree about what a polyglot is, so the decoders are made
// unreachable as well: every loader is blocked, then the four the service
// uses are allowed again, from memory buffers only.
const NEEDED_LOADERS = ['VipsForeignLoadJpegBuffer', 'VipsForeignLoadPngBuffer', 'VipsForeignLoadWebpBuffer', 'VipsForeignLoadHeifBuffer'];

/**
 * Process-wide (libvips keeps one operation table), so the API calls it once at
 * start; code in the same process that makes images from SVG or TIFF stops
 * working, which is the point.
 */
export function restrictImageLoaders(): void {
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({ operation: NEEDED_LOADERS });
}
