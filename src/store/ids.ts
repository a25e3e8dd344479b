// Random identifiers made on the device (case ids, command ids, batch ids): 128 bits, base-36.

export function randomId(bytes = 16): string {
  const buf = new Uint8Array(bytes)
  crypto.getRandomValues(buf)
  let out = ''
  for (const b of buf) out += (b % 36).toString(36) + Math.floor(b / 36).toString(36)
  return out.slice(0, Math.ceil(bytes * 1.6))
}
