import { describe, expect, it } from 'vitest'
import { ReportsArrayReader } from './json-body.ts'

function read(text: string, piece = text.length, maxRows = 100) {
  const r = new ReportsArrayReader(maxRows)
  for (let i = 0; i < text.length; i += piece) r.push(text.slice(i, i + piece))
  return r.end().reports
}

describe('the JSON bulk body read as a stream', () => {
  const body = JSON.stringify({ meta: { note: 'x, ] } [ "' }, reports: [{ reportId: 'R1', type: 'completion', certificateUrl: 'https://a.example/x?y=[1]', note: 'say "hi", \\ ok' }, 'not an object', [1, [2]], { nested: { deep: [{}, {}] } }, 42, null], after: [1, 2] })
  it('cuts out each element of reports, whatever the pieces the text arrives in', () => {
    const whole = JSON.parse(body).reports
    for (const piece of [1, 2, 3, 5, 64, body.length]) expect(read(body, piece), `pieces of ${piece}`).toEqual(whole)
    expect(read(' { "reports" : [ ] } \n')).toEqual([])
  })
  it('refuses what is not {"reports": [...]}, or more rows than allowed', () => {
    for (const bad of ['[1,2]', '{"reports": {"a": 1}}', '{"other": [1]}', '{"reports": [1, 2', '{"reports": [1]} x', '{"reports": [{"a": tru}]}', '{"reports": [{"__proto__": {"admin": true}}]}']) {
      expect(() => read(bad), bad).toThrow()
    }
    expect(() => read('{"reports": [1, 2, 3]}', 4, 2)).toThrow(/VALIDATION_FAILED|More than 2 rows/)
  })
})
