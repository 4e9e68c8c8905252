import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Select } from '../../web/choices.tsx'
import { tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { transaction } from '../../platform/db/database.ts'
import { record } from '../../platform/audit/index.ts'
import { insertItemIfAbsent, listItems, setItemActive } from './online-test.repository.ts'
import { parseItemForm, type ItemForm } from './item-bank.ts'

const T = {
  title: { id: 'Bank soal tes daring', en: 'Online test item bank' },
  intro: { id: 'Soal aktif dipilih acak untuk setiap peserta (campuran motivasi, berhitung, bacaan). Soal tidak dihapus; nonaktifkan bila tidak dipakai lagi.', en: 'Active items are drawn for each participant (a mix of motivation, numbers and reading). Items are never deleted; deactivate one that is no longer used.' },
  add: { id: 'Tambah soal', en: 'Add an item' },
  code: { id: 'Kode', en: 'Code' },
  kind: { id: 'Jenis', en: 'Kind' },
  promptId: { id: 'Pertanyaan (Bahasa Indonesia)', en: 'Question (Indonesian)' },
  promptEn: { id: 'Pertanyaan (bahasa Inggris)', en: 'Question (English)' },
  options: { id: 'Pilihan jawaban, satu per baris: "Bahasa Indonesia | English"', en: 'Answers, one a line: "Indonesian | English"' },
  correct: { id: 'Nomor jawaban benar (tidak untuk soal motivasi)', en: 'Number of the right answer (not for motivation items)' },
  save: { id: 'Simpan soal', en: 'Save item' },
  active: { id: 'aktif', en: 'active' },
  inactive: { id: 'nonaktif', en: 'inactive' },
  deactivate: { id: 'Nonaktifkan', en: 'Deactivate' },
  activate: { id: 'Aktifkan', en: 'Activate' },
  duplicate: { id: 'Kode soal ini sudah ada; pakai kode lain.', en: 'This item code exists; use another.' },
  choose: { id: '— pilih —', en: '— choose —' },
}
const KINDS = { motivation: { id: 'Motivasi', en: 'Motivation' }, numeracy: { id: 'Berhitung', en: 'Numbers' }, literacy: { id: 'Memahami bacaan', en: 'Reading' } }
const Any = Type.Record(Type.String(), Type.String({ maxLength: 2000 }))

export function registerItemBankPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox
  const access = { access: ['pmo_admin'] as const }

  async function page(req: FastifyRequest, reply: FastifyReply, state: { fields: FieldError[]; message: string | null; typed: Partial<ItemForm> }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const items = await listItems(db)
    const v = state.typed
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <div class="table-wrap">
          <table>
            <tbody>
              {items.map((i) => (
                <tr>
                  <td>
                    <code safe>{i.code}</code>
                  </td>
                  <td safe>{tr(l, KINDS[i.kind])}</td>
                  <td safe>{l === 'id' ? i.prompt_id : i.prompt_en}</td>
                  <td>
                    <form method="post" action={`/pmo/soal/${i.id}/${i.active ? 'nonaktif' : 'aktif'}`}>
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <span class={i.active ? 'status ok' : 'status'} safe>{tr(l, i.active ? T.active : T.inactive)}</span>{' '}
                      <button type="submit" class="link" safe>
                        {tr(l, i.active ? T.deactivate : T.activate)}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2 safe>{tr(l, T.add)}</h2>
        <form method="post" action="/pmo/soal" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Field locale={l} name="code" label={tr(l, T.code)} value={v.code ?? ''} errors={state.fields} />
          <Select locale={l} name="kind" label={tr(l, T.kind)} options={Object.entries(KINDS).map(([k, t]) => ({ value: k, label: tr(l, t) }))} value={v.kind ?? ''} placeholder={tr(l, T.choose)} errors={state.fields} />
          <Field locale={l} name="promptId" label={tr(l, T.promptId)} value={v.promptId ?? ''} errors={state.fields} />
          <Field locale={l} name="promptEn" label={tr(l, T.promptEn)} value={v.promptEn ?? ''} errors={state.fields} />
          <label for="options" safe>{tr(l, T.options)}</label>
          <textarea id="options" name="options" rows="5" safe>{v.options ?? ''}</textarea>
          <Field locale={l} name="correct" label={tr(l, T.correct)} inputmode="numeric" value={v.correct ?? ''} errors={state.fields} />
          <p>
            <button type="submit" safe>{tr(l, T.save)}</button>
          </p>
        </form>
      </Layout>,
    )
  }

  app.get('/pmo/soal', { config: access, schema: { hide: true } }, async (req, reply) => page(req, reply, { fields: [], message: null, typed: {} }))

  app.post('/pmo/soal', { config: access, schema: { hide: true, body: Any } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    const typed: ItemForm = { code: b.code ?? '', kind: b.kind ?? '', promptId: b.promptId ?? '', promptEn: b.promptEn ?? '', options: b.options ?? '', correct: b.correct ?? '' }
    const parsed = parseItemForm(typed)
    if (!parsed.ok) {
      reply.code(400)
      return page(req, reply, { fields: parsed.fields, message: errorMessage('VALIDATION_FAILED', req.locale), typed })
    }
    const a = req.account!
    const added = await transaction(db, async (trx) => {
      const ok = await insertItemIfAbsent(trx, { ...parsed.item, createdBy: a.id, at: deps.clock.now() })
      if (ok) await record(trx, { actorId: a.id, actorRole: a.role, action: 'test_item.create', subjectType: 'test_item', subjectId: parsed.item.code, details: { kind: parsed.item.kind }, requestId: String(req.id), ip: req.ip })
      return ok
    })
    if (!added) {
      reply.code(409)
      return page(req, reply, { fields: [{ field: 'code', ...T.duplicate }], message: errorMessage('CONFLICT', req.locale), typed })
    }
    return reply.redirect('/pmo/soal', 303)
  })

  app.post(
    '/pmo/soal/:id/:to',
    { config: access, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }), to: Type.Union([Type.Literal('aktif'), Type.Literal('nonaktif')]) }) } },
    async (req, reply) => {
      const { id, to } = req.params as { id: string; to: 'aktif' | 'nonaktif' }
      const a = req.account!
      await transaction(db, async (trx) => {
        const item = await setItemActive(trx, id, to === 'aktif')
        if (!item) throw new AppError('NOT_FOUND')
        await record(trx, { actorId: a.id, actorRole: a.role, action: to === 'aktif' ? 'test_item.activate' : 'test_item.deactivate', subjectType: 'test_item', subjectId: item.code, requestId: String(req.id), ip: req.ip })
      })
      return reply.redirect('/pmo/soal', 303)
    },
  )
}
