// A cheap check that a document photo can be read: sharpness as the variance of the Laplacian of
// the grey image (a blurred picture has few edges), and brightness as mean luminance, both on a
// copy downscaled to QUALITY_SIDE px so the check costs a few milliseconds in the worker.

export const QUALITY_SIDE = 320
/** Below this Laplacian variance (grey 0–255, at QUALITY_SIDE) text is usually hard to read. */
export const BLUR_BELOW = 60
/** Below this mean luminance (0–255) the photo is too dark. */
export const DARK_BELOW = 55

export interface PhotoQuality {
  sharpness: number
  luminance: number
  blurry: boolean
  dark: boolean
}

/** From RGBA pixels (ImageData.data) of a width × height image. */
export function photoQuality(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): PhotoQuality {
  const grey = new Float32Array(width * height)
  let sum = 0
  for (let i = 0, p = 0; i < grey.length; i++, p += 4) {
    const y = 0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!
    grey[i] = y
    sum += y
  }
  const luminance = grey.length ? sum / grey.length : 0
  let n = 0
  let mean = 0
  let m2 = 0
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x
      const lap = grey[i - width]! + grey[i + width]! + grey[i - 1]! + grey[i + 1]! - 4 * grey[i]!
      n++
      const d = lap - mean
      mean += d / n
      m2 += d * (lap - mean)
    }
  const sharpness = n > 1 ? m2 / (n - 1) : 0
  return { sharpness: Math.round(sharpness * 10) / 10, luminance: Math.round(luminance * 10) / 10, blurry: sharpness < BLUR_BELOW, dark: luminance < DARK_BELOW }
}
