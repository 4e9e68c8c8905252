/**
 * Progressive enhancement of the /dokumen forms: the file goes up with tus in small chunks,
 * resumes after a dropped connection from the last chunk the server has (the upload URL is
 * kept in localStorage), retries with growing pauses and shows a progress bar. A dropped
 * connection is said in plain words and the upload carries on by itself once the phone is
 * back online, also when the browser reports being offline (tus-js-client's default gives up
 * at once then). Without this script the same form posts the file in one piece.
 */
import * as tus from 'tus-js-client'

const CHUNK_BYTES = 256 * 1024
const RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000, 60_000, 60_000]

const TEXT = {
  cut: {
    id: 'Koneksi terputus. Unggahan dilanjutkan otomatis dari bagian terakhir begitu tersambung lagi; jangan tutup halaman ini dan tidak perlu memilih berkas lagi.',
    en: 'The connection dropped. The upload carries on from where it stopped as soon as you are back online; keep this page open, no need to choose the file again.',
  },
  resumed: { id: 'Tersambung lagi: unggahan dilanjutkan.', en: 'Back online: the upload carries on.' },
  stopped: { id: 'Unggahan berhenti. Tekan Unggah untuk melanjutkan.', en: 'Upload stopped. Press Upload to continue.' },
}

function say(t: { id: string; en: string }): string {
  return document.documentElement.lang === 'en' ? t.en : t.id
}

/** Worth another try: no answer at all (the connection), the server's trouble, or a conflict tus resolves with a HEAD. */
function retryable(err: tus.DetailedError): boolean {
  const status = err.originalResponse ? err.originalResponse.getStatus() : 0
  return status === 0 || status >= 500 || status === 409 || status === 423 || status === 429
}

function enhance(form: HTMLFormElement): void {
  const kind = form.dataset.kind
  const endpoint = form.dataset.endpoint
  const csrf = form.dataset.csrf
  const input = form.querySelector<HTMLInputElement>('input[type=file]')
  const box = form.querySelector<HTMLElement>('.upload-progress')
  const bar = box?.querySelector('progress')
  const label = box?.querySelector('span')
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]')
  if (!kind || !endpoint || !csrf || !input || !box || !bar || !label || !button || !tus.isSupported) return

  let current: tus.Upload | null = null
  /** The connection dropped: the upload waits for it (a retry is due, or the retries ran out). */
  let interrupted = false
  let pct = 0
  let note = ''
  const show = () => {
    label.textContent = note ? `${pct}% · ${note}` : `${pct}%`
  }
  const cut = () => {
    interrupted = true
    note = say(TEXT.cut)
    show()
  }

  window.addEventListener('offline', () => {
    if (current) cut()
  })
  // Back online: go on now instead of waiting out the pause before the next retry, and also
  // after the retries ran out while the phone was offline.
  window.addEventListener('online', () => {
    const upload = current
    if (!upload || !interrupted) return
    button.disabled = true
    void upload.abort().then(() => upload.start())
  })

  form.addEventListener('submit', (event) => {
    const file = input.files?.[0]
    if (!file) return // the server answers with the "choose a file" message
    event.preventDefault()
    button.disabled = true
    box.hidden = false
    note = ''
    interrupted = false
    void current?.abort()
    const upload = new tus.Upload(file, {
      endpoint,
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      headers: { 'x-csrf-token': csrf },
      metadata: { kind, filename: file.name, filetype: file.type },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      fingerprint: async (f: File) => ['karya', kind, f.name, f.type, f.size, f.lastModified].join('/'),
      onShouldRetry(err) {
        if (!retryable(err)) {
          interrupted = false
          return false
        }
        cut()
        return true
      },
      onProgress(sent, total) {
        pct = total > 0 ? Math.floor((sent / total) * 100) : 0
        bar.value = pct
        if (interrupted) {
          interrupted = false
          note = say(TEXT.resumed)
        }
        show()
      },
      onError() {
        button.disabled = false
        // Still offline after the last retry: the words about the dropped connection stay, and
        // coming back online carries on. Any other stop waits for the person.
        if (interrupted) return
        note = say(TEXT.stopped)
        show()
      },
      onAfterResponse(_req, res) {
        const outcome = res.getHeader('karya-document-outcome')
        if (!outcome) return
        const page = `/dokumen?hasil=${outcome === 'accepted' ? 'diterima' : 'ditolak'}`
        const target = `${page}#dokumen-${kind}`
        // From that same address (after the other photo) going there would only move to the #part: load it again.
        if (window.location.pathname + window.location.search === page) {
          window.history.replaceState(null, '', target)
          window.location.reload()
        } else {
          window.location.assign(target)
        }
      },
    })
    current = upload
    void upload.findPreviousUploads().then((previous) => {
      const last = previous[0]
      if (last) upload.resumeFromPreviousUpload(last)
      upload.start()
    })
  })
}

document.querySelectorAll<HTMLFormElement>('form.upload[data-kind]').forEach(enhance)
