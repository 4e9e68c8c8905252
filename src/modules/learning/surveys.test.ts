import { describe, expect, it } from 'vitest'
import { checkAnswers, MAX_TEXT, SURVEYS, surveyById } from './surveys.ts'

const course = SURVEYS['evaluasi-pelatihan-v1']
const full = { relevance: '5', quality: '4', delivery: '3', usefulness: '5', recommend: '4', comment: '  Tambah sesi praktik.  ' }

describe('evaluation surveys', () => {
  it('the course evaluation has five 1–5 questions and one free text, each in Indonesian and English', () => {
    expect(course.questions.filter((q) => q.kind === 'scale')).toHaveLength(5)
    expect(course.questions.filter((q) => q.kind === 'text')).toHaveLength(1)
    for (const s of Object.values(SURVEYS)) for (const q of s.questions) expect(q.text.id && q.text.en && q.text.id !== q.text.en).toBeTruthy()
    expect(new Set(course.questions.map((q) => q.key)).size).toBe(course.questions.length)
  })

  it('stores numbers for the scale and the trimmed text', () => {
    expect(checkAnswers(course, full)).toEqual({ ok: true, answers: { relevance: 5, quality: 4, delivery: 3, usefulness: 5, recommend: 4, comment: 'Tambah sesi praktik.' } })
    expect(checkAnswers(course, { ...full, comment: undefined })).toMatchObject({ ok: true, answers: { comment: '' } })
  })

  it('names every field to fix: a missing or out-of-range answer, an unknown choice, a text too long', () => {
    const bad = checkAnswers(course, { ...full, relevance: '6', quality: '', delivery: '2.5', comment: 'x'.repeat(MAX_TEXT + 1) })
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.fields.map((f) => f.field)).toEqual(['relevance', 'quality', 'delivery', 'comment'])
    const post = checkAnswers(SURVEYS['pasca-program-v1'], { work: 'astronaut', skills: '4', chances: '4' })
    expect(!post.ok && post.fields.map((f) => f.field)).toEqual(['work'])
  })

  it('knows only its own surveys, not inherited property names', () => {
    expect(surveyById('pasca-program-v1')?.scope).toBe('programme')
    expect(surveyById('constructor')).toBeUndefined()
    expect(surveyById('toString')).toBeUndefined()
  })
})
