/** `npm run seed`: loads the demo data; running it again changes nothing. */
import { loadConfig } from '../src/config.ts'
import { compose } from '../src/compose.ts'
import { seedDemo } from '../src/demo/seed.ts'

const deps = await compose(loadConfig(), { runWorkers: false })
try {
  const r = await seedDemo(deps)
  console.log(`Demo data: ${r.created.length} created, ${r.existing.length} already present.`)
} finally {
  await deps.close()
}
