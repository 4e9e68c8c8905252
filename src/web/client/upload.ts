/**
 * Progressive enhancement of the /dokumen forms: the file goes up with tus in small chunks,
 * resumes after a dropped connection from the last chunk the server has (the upload URL is
 * kept in localStorage), retries with growing pauses and shows a progress bar. Without this
 * script the same form posts the file in one piece.
 */
import * as tus from 'tus-js-client'

const CHUNK_BYTES = 256 * 1024
const RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000, 60_000, 60_000]

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

  form.addEventListener('submit', (event) => {
    const file = input.files?.[0]
    if (!file) return // the server answers with the "choose a file" message
    event.preventDefault()
    button.disabled = true
    box.hidden = false
    const upload = new tus.Upload(file, {
      endpoint,
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      headers: { 'x-csrf-token': csrf },
      metadata: { kind, filename: file.name, filetype: file.type },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      fingerprint: async (f: File) => ['karya', kind, f.name, f.type, f.size, f.lastModified].join('/'),
      onProgress(sent, total) {
        const pct = total > 0 ? Math.floor((sent / total) * 100) : 0
        bar.value = pct
        label.textContent = `${pct}%`
      },
      onError() {
        button.disabled = false
        label.textContent = document.documentElement.lang === 'en' ? 'Upload stopped. Press Upload to continue.' : 'Unggahan berhenti. Tekan Unggah untuk melanjutkan.'
      },
      onAfterResponse(_req, res) {
        const outcome = res.getHeader('karya-document-outcome')
        if (outcome) window.location.assign(`/dokumen?hasil=${outcome === 'accepted' ? 'diterima' : 'ditolak'}#dokumen-${kind}`)
      },
    })
    void upload.findPreviousUploads().then((previous) => {
      const last = previous[0]
      if (last) upload.resumeFromPreviousUpload(last)
      upload.start()
    })
  })
}

document.querySelectorAll<HTMLFormElement>('form.upload[data-kind]').forEach(enhance)
