export {
  getProvince,
  getRegency,
  getDistrict,
  listProvinces,
  listRegencies,
  listDistricts,
  regencyForFormerCode,
  regionFromNikPrefix,
  type Province,
  type Regency,
  type District,
  type NikRegion,
} from './regions.ts'
