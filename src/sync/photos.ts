// Photos of documents are downscaled on the device before they are stored or sent: at most
// 1600 px on the long side, JPEG, plus a small thumbnail for lists. Runs in the worker
// (OffscreenCanvas), so the UI never stalls on a 12-megapixel camera image. A file the browser
// cannot decode is refused with code not_image; the sharpness and brightness check
// (photo-quality.ts) runs on a small copy.

import { DaibanError } from '../core/errors'
import { photoQuality, QUALITY_SIDE, type PhotoQuality } from './photo-quality'

export const MAX_SIDE = 1600
export const THUMB_SIDE = 240

export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

async function render(bitmap: ImageBitmap, max: number, quality: number, turns = 0): Promise<Uint8Array> {
  const { width, height } = fitWithin(bitmap.width, bitmap.height, max)
  const sideways = turns % 2 === 1
  const canvas = new OffscreenCanvas(sideways ? height : width, sideways ? width : height)
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2d canvas in this browser')
  // Quarter turns clockwise about the centre.
  ctx.translate(canvas.width / 2, canvas.height / 2)
  ctx.rotate((turns * Math.PI) / 2)
  ctx.drawImage(bitmap, -width / 2, -height / 2, width, height)
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality })
  return new Uint8Array(await blob.arrayBuffer())
}

export interface ProcessedPhoto {
  data: Uint8Array
  thumb: Uint8Array
  mime: string
  quality?: PhotoQuality
}

function measure(bitmap: ImageBitmap): PhotoQuality | undefined {
  const { width, height } = fitWithin(bitmap.width, bitmap.height, QUALITY_SIDE)
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })
  if (!ctx) return undefined
  ctx.drawImage(bitmap, 0, 0, width, height)
  return photoQuality(ctx.getImageData(0, 0, width, height).data, width, height)
}

async function decode(file: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file)
  } catch {
    throw new DaibanError('validation', 'not_image: ' + 'the file is not an image this browser can read')
  }
}

export async function processPhoto(file: Blob): Promise<ProcessedPhoto> {
  if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
    // No canvas (tests in Node): keep the bytes as they are.
    const data = new Uint8Array(await file.arrayBuffer())
    return { data, thumb: data, mime: file.type || 'application/octet-stream' }
  }
  if (file.type && !file.type.startsWith('image/')) throw new DaibanError('validation', 'not_image: ' + `not an image: ${file.type}`)
  const bitmap = await decode(file)
  try {
    const quality = measure(bitmap)
    return { data: await render(bitmap, MAX_SIDE, 0.82), thumb: await render(bitmap, THUMB_SIDE, 0.7), mime: 'image/jpeg', ...(quality ? { quality } : {}) }
  } finally {
    bitmap.close()
  }
}

/** The photo turned a quarter clockwise, as a new photo (the old one is replaced on the material). */
export async function rotatePhoto(file: Blob): Promise<ProcessedPhoto> {
  if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') throw new DaibanError('internal', 'rotating needs a canvas')
  const bitmap = await decode(file)
  try {
    return { data: await render(bitmap, MAX_SIDE, 0.9, 1), thumb: await render(bitmap, THUMB_SIDE, 0.7, 1), mime: 'image/jpeg' }
  } finally {
    bitmap.close()
  }
}
