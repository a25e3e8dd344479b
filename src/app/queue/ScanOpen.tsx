// Scan to open (township and county staff): the device camera reads a resident's paper — with
// BarcodeDetector where the browser has it, jsQR otherwise — or the clerk types the case number.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { PaperOpen } from '../../sync/paper-open'
import { getDevice } from '../device'
import { t, type MessageKey } from '../i18n'
import { navigate } from '../router'

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>
}
type DetectorCtor = new (opts: { formats: string[] }) => Detector

/** Reads QR codes from a video: the browser's detector when present, jsQR on canvas pixels otherwise. */
async function qrReader(): Promise<(video: HTMLVideoElement) => Promise<string | null>> {
  const Ctor = (globalThis as { BarcodeDetector?: DetectorCtor }).BarcodeDetector
  if (Ctor) {
    const detector = new Ctor({ formats: ['qr_code'] })
    return async (video) => (await detector.detect(video))[0]?.rawValue ?? null
  }
  const jsQR = (await import('jsqr')).default
  const canvas = document.createElement('canvas')
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!
  return async (video) => {
    if (!video.videoWidth) return null
    canvas.width = video.videoWidth
    canvas.height = video.videoHeight
    ctx.drawImage(video, 0, 0)
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height)
    return jsQR(img.data, img.width, img.height)?.data ?? null
  }
}

function message(r: PaperOpen): string | null {
  switch (r.kind) {
    case 'case':
      return null
    case 'verdict':
      return t(`paper.scan.verdict.${r.verdict}` as MessageKey)
    case 'offline':
    case 'not_found':
      return t('paper.scan.notFound')
    case 'bad_number':
      return t('paper.scan.badNumber')
    case 'not_paper':
      return t('paper.scan.notPaper')
  }
}

export function ScanOpen() {
  const [scanning, setScanning] = useState(false)
  const [number, setNumber] = useState('')
  const [error, setError] = useState<string | null>(null)
  const video = useRef<HTMLVideoElement>(null)

  async function open(text: string) {
    const r = await getDevice().openPaper(text)
    if (r.kind === 'case') {
      setScanning(false)
      navigate(`/review/${encodeURIComponent(r.ref)}`)
    } else setError(message(r))
  }

  useEffect(() => {
    if (!scanning) return
    let stream: MediaStream | null = null
    let stopped = false
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
        const v = video.current!
        v.srcObject = stream
        await v.play()
        const read = await qrReader()
        while (!stopped) {
          const text = await read(v).catch(() => null)
          if (text) {
            await open(text)
            if (!stopped) await new Promise((r) => setTimeout(r, 1500)) // a wrong code: let the clerk move on
          } else await new Promise((r) => setTimeout(r, 200))
        }
      } catch (e) {
        setError(t('paper.scan.noCamera', { message: (e as Error).message }))
        setScanning(false)
      }
    })()
    return () => {
      stopped = true
      for (const track of stream?.getTracks() ?? []) track.stop()
    }
  }, [scanning])

  return (
    <section class="card scan-open" data-testid="scan-open" aria-label={t('paper.scan.title')} style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'center' }}>
      <button type="button" data-testid="scan-start" onClick={() => (setError(null), setScanning(!scanning))}>
        {scanning ? t('paper.scan.stop') : t('paper.scan.start')}
      </button>
      {scanning && <video ref={video} class="scan-video" playsInline muted style={{ width: '100%', maxWidth: '24rem', display: 'block', order: 3 }} />}
      <form
        class="inline"
        style={{ display: 'flex', gap: '0.5rem', flex: '1 1 16rem' }}
        onSubmit={(e) => {
          e.preventDefault()
          setError(null)
          void open(number)
        }}
      >
        <input style={{ flex: 1, minWidth: 0 }} aria-label={t('paper.scan.number')} placeholder={t('paper.scan.number')} data-testid="scan-number" value={number} onInput={(e) => setNumber(e.currentTarget.value)} />{' '}
        <button type="submit" data-testid="scan-number-open">
          {t('paper.scan.open')}
        </button>
      </form>
      {error && (
        <p class="error" role="alert" data-testid="scan-error" style={{ flexBasis: '100%', margin: 0 }}>
          {error}
        </p>
      )}
    </section>
  )
}
