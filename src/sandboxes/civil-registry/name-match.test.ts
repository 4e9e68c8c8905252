/** Name matching: forgiving of how a careful person writes their name, strict on a wrong letter. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generatePeople } from '../population/index.ts'
import { canonicalName, namesMatch } from './name-match.ts'

const NAMES = [...generatePeople({ seed: 7, size: 1500 })].map((p) => p.fullName)
const name = fc.constantFrom(...NAMES)

describe('namesMatch', () => {
  it.each([
    ['Muhammad Rizki', 'MUHAMMAD RIZKI'],
    ['M. Rizki', 'MUHAMMAD RIZKI'],
    ['Moh. Rizki', 'MUHAMAD RIZKI'],
    ['MOCH RIZKI', 'MOCHAMMAD RIZKI'],
    ['Mhd.Rizki', 'Muhammad Rizki'],
    ['Hj. Siti Aminah', 'SITI AMINAH'],
    ['H. Ahmad Dahlan', 'AHMAD DAHLAN'],
    ['Dr. Ir. Bambang Sutrisno, M.M.', 'BAMBANG SUTRISNO'],
    ['Sri Wahyuni S.Pd.', 'SRI WAHYUNI'],
    ['Sri Wahyuni SPd', 'SRI WAHYUNI'],
    ['Rina Wulandari, S.Kom., M.Kom.', 'RINA WULANDARI'],
    ['Soekarno', 'SUKARNO'],
    ['Djoko Tjahjono', 'JOKO CAHYONO'],
    ['Sitti Nurhaliza', 'SITI NURHALIZA'],
    ['Nur Hayati', 'NURHAYATI'],
    ["Ma'ruf Amin", 'MARUF AMIN'],
    ['  dewi   LESTARI ', 'DEWI LESTARI'],
  ])('"%s" matches "%s"', (typed, record) => {
    expect(namesMatch(typed, record)).toBe(true)
    expect(namesMatch(record, typed)).toBe(true)
  })

  it.each([
    ['Budi Santosa', 'BUDI SANTOSO'],
    ['Siti Aminah', 'SITI AMINAH PUTRI'],
    ['Aminah Siti', 'SITI AMINAH'],
    ['Rizki', 'MUHAMMAD RIZKI'],
    ['Ahmad Dahlan', 'AHMAD DAHLAN SAPUTRA'],
    ['', 'SITI AMINAH'],
  ])('"%s" does not match "%s"', (typed, record) => {
    expect(namesMatch(typed, record)).toBe(false)
  })

  it('keeps a two-letter word without dots: it may be a family name, not a gelar', () => {
    expect(canonicalName('Liem Swie Ma')).toEqual(['LIEM', 'SWIE', 'MA'])
    expect(canonicalName('Liem Swie, M.A.')).toEqual(['LIEM', 'SWIE'])
  })

  it('matches every name to itself however it is cased and spaced', () => {
    fc.assert(
      fc.property(name, fc.boolean(), fc.integer({ min: 1, max: 4 }), (n, lower, spaces) => {
        const typed = ` ${(lower ? n.toLowerCase() : n).split(' ').join(' '.repeat(spaces))} `
        expect(namesMatch(typed, n)).toBe(true)
      }),
    )
  })

  it('forgives titles before and gelar after the name', () => {
    const prefix = fc.constantFrom('', 'H. ', 'Hj. ', 'Dr. ', 'Drs. ', 'Ir. ', 'Prof. Dr. ')
    const suffix = fc.constantFrom('', ', S.Pd.', ' S.E.', ', S.Kom., M.M.', ' A.Md.', ', S.H.')
    fc.assert(fc.property(name, prefix, suffix, (n, p, s) => {
      expect(namesMatch(`${p}${n}${s}`, n)).toBe(true)
    }))
  })

  it('is symmetric', () => {
    fc.assert(fc.property(name, name, (a, b) => {
      expect(namesMatch(a, b)).toBe(namesMatch(b, a))
    }))
  })

  it('refuses a name with one letter typed wrong', () => {
    fc.assert(
      fc.property(name, fc.nat(), (n, at) => {
        const letters = [...n].flatMap((c, i) => (/[A-Z]/.test(c) && c !== 'X' ? [i] : []))
        const i = letters[at % letters.length]!
        const typo = n.slice(0, i) + 'X' + n.slice(i + 1)
        expect(namesMatch(typo, n)).toBe(false)
      }),
    )
  })
})
