import { useEffect, useState } from 'preact/hooks'
import { getDevice } from '../device'

/** A photo thumbnail read from the device (works offline). */
export function Thumb({ hash, alt }: { hash: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let made: string | null = null
    void getDevice()
      .photo(hash, true)
      .then((blob) => {
        if (blob) setUrl((made = URL.createObjectURL(blob)))
      })
    return () => {
      if (made) URL.revokeObjectURL(made)
    }
  }, [hash])
  return url ? <img class="thumb" src={url} alt={alt} data-testid="photo-thumb" /> : <span class="thumb placeholder" aria-label={alt} />
}
