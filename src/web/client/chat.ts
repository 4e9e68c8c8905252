/**
 * Progressive enhancement of the live chat page (/pengaduan/<tracking>/obrolan): a long-poll
 * that adds new lines in place and changes the status line only when it changes (it is a
 * role="status" region, so a screen reader hears each real change once). Typing is never
 * interrupted. When the chat ends the page reloads to offer the rating. Without this script
 * the page reloads itself through the same long-poll.
 */

interface Line {
  id: number
  who: string
  at: string
  body: string | null
}
interface Changes {
  after: number
  lines: Line[]
  state: { key: string; line: string; ended: boolean }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function lineItem(line: Line, hiddenText: string): HTMLLIElement {
  const li = document.createElement('li')
  const head = document.createElement('p')
  const who = document.createElement('strong')
  who.textContent = line.who
  const at = document.createElement('span')
  at.className = 'muted'
  at.textContent = line.at
  head.append(who, ' ', at)
  const body = document.createElement('p')
  if (line.body === null) {
    body.className = 'muted'
    body.textContent = hiddenText
  } else {
    body.style.whiteSpace = 'pre-wrap'
    body.textContent = line.body
  }
  li.append(head, body)
  return li
}

async function follow(root: HTMLElement): Promise<void> {
  const url = root.dataset.chatEvents!
  const list = document.querySelector<HTMLElement>('[data-chat-lines]')
  const status = document.querySelector<HTMLElement>('[data-chat-status]')
  let after = Number(root.dataset.after ?? '0')
  let key = root.dataset.state ?? ''
  let pause = 0
  // Once the person sends a form the page is leaving: nothing more to show or reload.
  let leaving = false
  document.addEventListener('submit', () => (leaving = true))
  window.addEventListener('pagehide', () => (leaving = true))
  for (;;) {
    if (leaving) return
    try {
      const res = await fetch(`${url}?setelah=${after}&keadaan=${encodeURIComponent(key)}`, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      if (!res.ok) throw new Error(String(res.status))
      const d = (await res.json()) as Changes
      if (leaving) return
      for (const line of d.lines) list?.append(lineItem(line, list.dataset.hidden ?? ''))
      after = d.after
      if (d.state.ended) {
        location.reload()
        return
      }
      if (d.state.key !== key) {
        key = d.state.key
        if (status) status.textContent = d.state.line
      }
      pause = 0
    } catch {
      // Offline or the server is busy: try again, waiting longer each time, up to half a minute.
      pause = Math.min(30_000, pause === 0 ? 1_000 : pause * 2)
      await sleep(pause)
    }
  }
}

const root = document.querySelector<HTMLElement>('[data-chat-events]')
if (root) void follow(root)
