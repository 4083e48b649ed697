import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { tool } from '../tools';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, server: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null) throw new Error(`server for ${url} exited (${server.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not come up:\n${log()}`);
}

/**
 * A real package index: pypiserver (from the tools environment) on 127.0.0.1, uploads without
 * authentication, no fallback to pypi.org (a name it lacks is a 404, not a redirect to the real
 * PyPI), files stored in `dir`.
 */
export class LocalIndex {
  /** Starts pypiserver on a free port, serving (and storing uploads in) `dir`. */
  public static async start(name: string, dir: string): Promise<LocalIndex> {
    fs.mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const child = spawn(tool('pypi-server'), ['run', '-p', String(port), '-i', '127.0.0.1', '-a', '.', '-P', '.', '--disable-fallback', '--backend', 'simple-dir', '--hash-algo', 'sha256', '--log-stream', 'stdout', '-v', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
    const index = new LocalIndex(name, dir, `http://127.0.0.1:${port}`, child, () => output);
    await waitFor(`${index.url}/simple/`, child, () => output);
    return index;
  }

  /** `http://127.0.0.1:PORT` */
  public readonly url: string;
  /** The PEP 503 simple index. */
  public get simpleUrl(): string {
    return `${this.url}/simple/`;
  }

  private constructor(
    /** For messages. */
    public readonly name: string,
    /** Where pypiserver stores the uploaded files. */
    public readonly dir: string,
    url: string,
    private readonly child: ChildProcess,
    /** pypiserver's log. */
    public readonly log: () => string,
  ) {
    this.url = url;
  }

  /** The files the index holds (as uploaded). */
  public files(): string[] {
    return fs.readdirSync(this.dir).sort();
  }

  /** The paths of the GET requests pypiserver logged so far (e.g. `/simple/dep-pkg/`). */
  public requests(): string[] {
    return [...this.log().matchAll(/"GET (\S+) HTTP/g)].map((m) => m[1]);
  }

  /** Puts a file into the index directly (a squatter, a file left from an earlier upload). */
  public put(file: string): void {
    fs.copyFileSync(file, path.join(this.dir, path.basename(file)));
  }

  public stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** PEP 503 name normalization. */
export function normalize(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** `name` and `version` of a wheel or sdist file name. */
export function parseDistFile(file: string): { name: string; version: string } | undefined {
  const wheel = /^([^-]+)-([^-]+)-.*\.whl$/.exec(file);
  if (wheel) return { name: wheel[1], version: wheel[2] };
  const sdist = /^(.+)-([^-]+)\.tar\.gz$/.exec(file);
  return sdist ? { name: sdist[1], version: sdist[2] } : undefined;
}

/** The JSON API server (run as its own process: the tests run steps with spawnSync). */
function jsonApiMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const crypto_: typeof import('crypto') = require('crypto');
  const fs_: typeof import('fs') = require('fs');
  const http_: typeof import('http') = require('http');
  const path_: typeof import('path') = require('path');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const [dir, port, indexUrl] = process.argv.slice(2);
  const norm = (n: string) => n.replace(/[-_.]+/g, '-').toLowerCase();
  const parse = (file: string) => {
    const wheel = /^([^-]+)-([^-]+)-.*\.whl$/.exec(file);
    if (wheel) return { name: wheel[1], version: wheel[2] };
    const sdist = /^(.+)-([^-]+)\.tar\.gz$/.exec(file);
    return sdist ? { name: sdist[1], version: sdist[2] } : undefined;
  };
  http_.createServer((req, res) => {
    const m = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(req.url ?? '');
    const name = m ? decodeURIComponent(m[1]) : '';
    const version = m ? decodeURIComponent(m[2]) : '';
    const files = m ? fs_.readdirSync(dir).filter((f) => {
      const p = parse(f);
      return p !== undefined && norm(p.name) === norm(name) && p.version === version;
    }).sort() : [];
    if (files.length === 0) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const urls = files.map((f) => ({
      filename: f,
      packagetype: f.endsWith('.whl') ? 'bdist_wheel' : 'sdist',
      url: `${indexUrl}/packages/${f}`,
      digests: { sha256: crypto_.createHash('sha256').update(fs_.readFileSync(path_.join(dir, f))).digest('hex') },
    }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ info: { name, version }, urls }));
  }).listen(Number(port), '127.0.0.1');
}

/**
 * TestPyPI's JSON API (`/pypi/<name>/<version>/json` with `urls[].filename` and
 * `urls[].digests.sha256`) for the files a `LocalIndex` really holds. pypiserver has no
 * per-version JSON API and no digests in its `/<project>/json`, so this small server (a process
 * of its own) computes them, at each request, from the files pypiserver stored.
 */
export class JsonApi {
  public static async start(index: LocalIndex, scratch: string): Promise<JsonApi> {
    const port = await freePort();
    const script = path.join(scratch, 'json-api.js');
    fs.writeFileSync(script, `'use strict';\n(${jsonApiMain.toString()})();\n`);
    const child = spawn(process.execPath, [script, index.dir, String(port), index.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
    const api = new JsonApi(child, `http://127.0.0.1:${port}/pypi`);
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`JSON API exited:\n${output}`);
      try {
        await fetch(`${api.url}/x/0/json`);
        return api;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`JSON API did not come up:\n${output}`);
  }

  private constructor(private readonly child: ChildProcess, /** `http://127.0.0.1:PORT/pypi` */ public readonly url: string) {}

  public stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
