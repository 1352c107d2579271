// A tiny RGBA pixel canvas for drawing tray icons: rectangles, rounded rectangles and bitmap glyphs,
// composited with straight (non-premultiplied) alpha so the result can go straight into a PNG.

export type Rgba = readonly [number, number, number, number];

export class Raster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;

  constructor(width: number, height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`Raster: width and height must be whole numbers of at least 1, got ${width}×${height}`);
    }
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height * 4);
  }

  /** Paints one pixel with `color` over what is there ("source over"); outside the canvas is ignored. */
  blend(x: number, y: number, color: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const offset = (y * this.width + x) * 4;
    const sourceAlpha = color[3] / 255;
    if (sourceAlpha <= 0) return;
    const destinationAlpha = this.pixels[offset + 3]! / 255;
    const alpha = sourceAlpha + destinationAlpha * (1 - sourceAlpha);
    for (let channel = 0; channel < 3; channel++) {
      const mixed = (color[channel]! * sourceAlpha + this.pixels[offset + channel]! * destinationAlpha * (1 - sourceAlpha)) / alpha;
      this.pixels[offset + channel] = Math.round(mixed);
    }
    this.pixels[offset + 3] = Math.round(alpha * 255);
  }

  /** Clears one pixel to transparent (for cut-outs such as the slash of the offline icon). */
  clear(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.fill(0, (y * this.width + x) * 4, (y * this.width + x) * 4 + 4);
  }

  fillRect(x: number, y: number, width: number, height: number, color: Rgba): void {
    for (let row = Math.max(0, y); row < Math.min(this.height, y + height); row++) {
      for (let column = Math.max(0, x); column < Math.min(this.width, x + width); column++) this.blend(column, row, color);
    }
  }

  /** A rectangle whose corners are cut by `radius` pixels (a pixel-art rounding, crisp at small sizes). */
  fillRoundedRect(x: number, y: number, width: number, height: number, radius: number, color: Rgba): void {
    const r = Math.max(0, Math.min(radius, Math.floor(Math.min(width, height) / 2)));
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        const dx = column < r ? r - column - 0.5 : column >= width - r ? column - (width - r) + 0.5 : 0;
        const dy = row < r ? r - row - 0.5 : row >= height - r ? row - (height - r) + 0.5 : 0;
        if (dx * dx + dy * dy <= r * r) this.blend(x + column, y + row, color);
      }
    }
  }

  /** Whether any pixel differs from `other` (same size). */
  differsFrom(other: Raster): boolean {
    if (other.width !== this.width || other.height !== this.height) return true;
    return this.pixels.some((value, index) => value !== other.pixels[index]);
  }
}
