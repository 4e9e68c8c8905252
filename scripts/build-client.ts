/**
 * Bundles the browser scripts in src/web/client/ into src/web/static/ (committed, so production
 * needs no build tools). `npm run build:client` writes them; client-bundle.test.ts fails when a
 * committed bundle is out of date.
 */
import path from 'node:path'
import { promises as fs } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build, type BuildOptions } from 'esbuild'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const CLIENT_SCRIPTS = ['upload', 'chat'] as const

function options(name: string): BuildOptions {
  return {
    entryPoints: [path.join(ROOT, 'src/web/client', `${name}.ts`)],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2019'],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  }
}

export async function bundle(name: string): Promise<string> {
  const out = await build(options(name))
  return out.outputFiles![0]!.text
}

export function bundlePath(name: string): string {
  return path.join(ROOT, 'src/web/static', `${name}.js`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const name of CLIENT_SCRIPTS) {
    const text = await bundle(name)
    await fs.writeFile(bundlePath(name), text)
    console.log(`${path.relative(ROOT, bundlePath(name))}: ${text.length} bytes`)
  }
}
