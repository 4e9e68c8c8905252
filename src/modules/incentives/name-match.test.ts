import { describe, expect, it } from 'vitest'
import { editDistance, matchName, nameWords, namesMatch } from './name-match.ts'

describe('nameWords', () => {
  it('drops case, punctuation, salutations and titles', () => {
    expect(nameWords('Hj. Siti Aminah, S.Kom.')).toEqual(['SITI', 'AMINAH'])
    expect(nameWords('BAPAK IR. BUDI SANTOSO')).toEqual(['BUDI', 'SANTOSO'])
    expect(nameWords('Ibu Drs. Sri  Wahyuni S.Pd.')).toEqual(['SRI', 'WAHYUNI'])
    expect(nameWords('M.Rizki')).toEqual(['M', 'RIZKI'])
  })
  it('keeps a lone word even when it looks like a title', () => {
    expect(nameWords('Haji')).toEqual(['HAJI'])
  })
})

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('AMINAH', 'AMINAH')).toBe(0)
    expect(editDistance('AMINAH', 'AMINA')).toBe(1)
    expect(editDistance('KITTEN', 'SITTING')).toBe(3)
  })
  it('stops early past the limit', () => {
    expect(editDistance('ABCDEFGH', 'ZZZZZZZZ', 2)).toBe(3)
  })
})

describe('matchName', () => {
  it.each([
    ['Siti Aminah', 'SITI AMINAH'],
    ['Siti Aminah', 'Hj. Siti Aminah, S.Kom'],
    ['Budi Santoso', 'BPK BUDI SANTOSO'],
    ['Nur Hayati', 'NURHAYATI'],
    ['Siti Aminah Lubis', 'SITI AMINA LUBIS'],
    ['Muhammad Rizki Ramadhan Saputra', 'MUHAMMAD RIZKI RAMADH'],
    ['Dewi Lestari', 'Ibu Dewi Lestary'],
  ])('%s matches %s', (ours, theirs) => {
    expect(namesMatch(ours, theirs)).toBe(true)
  })

  it.each([
    ['Siti Aminah', 'Bambang Sutrisno'],
    ['Budi Santoso', 'BUDI SANTOSA WIJAYA'],
    ['Ani', 'Ana Wati'],
    ['Dewi Lestari', 'DEWI'],
    ['Siti Aminah', ''],
  ])('%s does not match %s', (ours, theirs) => {
    expect(namesMatch(ours, theirs)).toBe(false)
  })

  it('allows one letter in a short name, two in a long one', () => {
    expect(matchName('Ani Lubis', 'ANI LUBIZ').matches).toBe(true)
    expect(matchName('Ani Lubis', 'ANA LUBIZ').matches).toBe(false)
    expect(matchName('Siti Aminah Lubis', 'SITA AMINA LUBIS').matches).toBe(true)
  })
})
