// Photos of documents are downscaled on the device before they are stored or sent: at most
// 1600 px on the long side, JPEG, plus a small thumbnail for lists. Runs in the worker
// (OffscreenCanvas), so the UI never stalls on a 12-megapixel camera image.

export const MAX_SIDE = 1600
export const THUMB_SIDE = 240

export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

async function render(bitmap: ImageBitmap, max: number, quality: number): Promise<Uint8Array> {
  const { width, height } = fitWithin(bitmap.width, bitmap.height, max)
  const canvas = new OffscreenCanvas(width, height)
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2d canvas in this browser')
  ctx.drawImage(bitmap, 0, 0, width, height)
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality })
  return new Uint8Array(await blob.arrayBuffer())
}

export interface ProcessedPhoto {
  data: Uint8Array
  thumb: Uint8Array
  mime: string
}

export async function processPhoto(file: Blob): Promise<ProcessedPhoto> {
  if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
    // No canvas (tests in Node): keep the bytes as they are.
    const data = new Uint8Array(await file.arrayBuffer())
    return { data, thumb: data, mime: file.type || 'application/octet-stream' }
  }
  const bitmap = await createImageBitmap(file)
  try {
    return { data: await render(bitmap, MAX_SIDE, 0.82), thumb: await render(bitmap, THUMB_SIDE, 0.7), mime: 'image/jpeg' }
  } finally {
    bitmap.close()
  }
}
