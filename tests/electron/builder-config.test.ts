// electron-builder.yml, checked without building an installer (the Electron binary cannot be
// downloaded here): against electron-builder's own schema, then against a fresh build of main,
// preload and renderer, so every file it would pack exists and everything main loads is packed.
//   KIOSK_BUILT_DIR=<dir>  check an existing build (a folder holding package.json and dist/)
//                          instead of building into a temporary folder.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const run = promisify(execFile);

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraMetadata: { main: string };
  directories: { output: string };
  npmRebuild: boolean;
  linux: { target: string[]; maintainer: string; category: string };
  win: { target: string[] };
  mac: { target: string[] };
  [key: string]: unknown;
}

/** electron-builder's own file matching (the class it packs with). */
const { FileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
  FileMatcher: new (
    from: string,
    to: string,
    expand: (pattern: string) => string,
    patterns: string[],
  ) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(
    config: unknown,
    debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void },
  ): Promise<void>;
};

const config = parse(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const schema = JSON.parse(
  await readFile(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
) as object;
const packageJson = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

function packedBy(patterns: string[], root: string) {
  const filter = new FileMatcher(root, '/', (pattern) => pattern, patterns).createFilter();
  return (relativePath: string, isDirectory = false) =>
    filter(join(root, relativePath), { isDirectory: () => isDirectory });
}

describe('electron-builder.yml', () => {
  it('matches electron-builder’s JSON schema', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator is not vacuous: a misspelt option fails it.
    expect(validate({ ...config, linux: { ...config.linux, targett: ['deb'] } })).toBe(false);
  });

  it('passes electron-builder’s own configuration check', async () => {
    await expect(
      validateConfiguration(structuredClone(config), { isEnabled: false, add() {} }),
    ).resolves.toBeUndefined();
  });

  it('builds an AppImage and a deb, an NSIS installer and a dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.linux.category).toBeTruthy();
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('rebuilds the native modules for Electron and unpacks them from the asar', () => {
    expect(config.npmRebuild).toBe(true);
    const unpacked = packedBy(config.asarUnpack, '/app');
    for (const file of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/node.napi.glibc.node',
      'node_modules/node-hid/build/Release/HID.node',
    ]) {
      expect(unpacked(file), file).toBe(true);
    }
    expect(unpacked('node_modules/fastify/fastify.js')).toBe(false);
    expect(unpacked('dist/electron/main/index.js')).toBe(false);
  });

  it('writes installers outside what it packs', () => {
    expect(config.directories.output.startsWith('dist')).toBe(false);
  });
});

interface Built {
  root: string;
  packed: (relativePath: string, isDirectory?: boolean) => boolean;
  files: string[];
}

let temporary: string | null = null;
let building: Promise<Built> | undefined;

/** Built once for the tests below; a failed build fails each of them rather than skipping. */
function built(): Promise<Built> {
  building ??= (async () => {
    const given = process.env['KIOSK_BUILT_DIR'];
    let root: string;
    if (given) {
      root = resolve(given);
    } else {
      temporary = await mkdtemp(join(tmpdir(), 'kiosk-electron-build-'));
      root = temporary;
      const node = process.execPath;
      const env = { ...process.env, KIOSK_ELECTRON_OUT_DIR: join(root, 'dist', 'electron') };
      await run(node, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
        cwd: ROOT,
        env,
      });
      await run(
        node,
        [
          join(ROOT, 'node_modules/vite/bin/vite.js'),
          'build',
          '--config',
          'renderer/vite.config.ts',
          '--outDir',
          join(root, 'dist', 'renderer'),
          '--emptyOutDir',
          '--logLevel',
          'warn',
        ],
        { cwd: ROOT },
      );
      await copyFile(join(ROOT, 'package.json'), join(root, 'package.json'));
    }
    const files = (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).replaceAll('\\', '/'));
    return { root, packed: packedBy(config.files, root), files };
  })();
  return building;
}

afterAll(async () => {
  if (temporary) await rm(temporary, { recursive: true, force: true });
});

describe('what electron-builder packs, after the build', { timeout: 180_000 }, () => {
  const exists = (root: string, path: string) =>
    stat(join(root, path)).then(
      () => true,
      () => false,
    );

  it('has the main entry it names, and packs it', async () => {
    const { root, packed } = await built();
    expect(await exists(root, config.extraMetadata.main)).toBe(true);
    expect(packed(config.extraMetadata.main)).toBe(true);
  });

  it('finds something for every files pattern', async () => {
    const { root, files } = await built();
    for (const pattern of config.files.filter((it) => !it.startsWith('!'))) {
      const matcher = packedBy([pattern], root);
      expect(
        files.some((file) => matcher(file)),
        pattern,
      ).toBe(true);
    }
  });

  it('packs the preload and renderer that main loads', async () => {
    const { root, packed } = await built();
    const mainFile = join(root, config.extraMetadata.main);
    const main = await readFile(mainFile, 'utf8');
    const references = [...main.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)].map(
      (match) => match[1] ?? '',
    );
    expect(references).toEqual(['../preload/preload.cjs', '../../renderer/']);
    for (const reference of references) {
      let target = relative(root, resolve(dirname(mainFile), reference)).replaceAll('\\', '/');
      if (reference.endsWith('/')) target = `${target}/index.html`;
      expect(await exists(root, target), target).toBe(true);
      expect(packed(target), target).toBe(true);
    }
  });

  it('packs every script and stylesheet the renderer’s page loads', async () => {
    const { root, packed } = await built();
    const html = await readFile(join(root, 'dist/renderer/index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const path = `dist/renderer/${asset}`;
      expect(await exists(root, path), path).toBe(true);
      expect(packed(path), path).toBe(true);
    }
  });

  it('leaves source maps out', async () => {
    const { files, packed } = await built();
    const maps = files.filter((file) => file.endsWith('.map'));
    expect(maps.filter((file) => packed(file))).toEqual([]);
  });

  it('loads at run time only Node, Electron and packed dependencies', async () => {
    const { root, packed } = await built();
    // Main and the chunks it splits off (e.g. the lazily loaded hardware), followed file by file.
    const specifiers = new Set<string>();
    const pending = [config.extraMetadata.main];
    const seen = new Set<string>();
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      expect(packed(file), file).toBe(true);
      const code = await readFile(join(root, file), 'utf8');
      for (const [, specifier = ''] of code.matchAll(
        /(?:^import .*? from |^import |import\()"([^"]+)"/gm,
      )) {
        if (!specifier.startsWith('.')) specifiers.add(specifier);
        else {
          const target = relative(root, resolve(dirname(join(root, file)), specifier));
          pending.push(target.replaceAll('\\', '/'));
        }
      }
    }
    const builtins = new Set(builtinModules);
    const dependencies = new Set(Object.keys(packageJson.dependencies));
    const unpacked = [...specifiers].filter((specifier) => {
      if (specifier.startsWith('node:') || builtins.has(specifier) || specifier === 'electron') {
        return false;
      }
      const parts = specifier.split('/');
      const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
      return !dependencies.has(name);
    });
    expect(specifiers.size).toBeGreaterThan(3);
    expect(unpacked).toEqual([]);
  });

  it('gives the sandboxed preload nothing to load but electron', async () => {
    const { root } = await built();
    const preload = await readFile(join(root, 'dist/electron/preload/preload.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(required).toEqual(['electron']);
    expect(preload).not.toMatch(/^import /m);
  });
});
