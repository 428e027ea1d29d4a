/** Bounded project walk: manifests, lock files and source files, skipping vendored trees. */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const IGNORED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.venv',
  'venv',
  'env',
  '.env',
  '.tox',
  '.nox',
  '__pycache__',
  'site-packages',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  'coverage',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'Pods',
  'DerivedData',
  '.build',
  '.gradle',
  'target',
]);

export interface ProjectFiles {
  root: string;
  /** Paths relative to root, '/'-separated. */
  files: string[];
  truncated: boolean;
}

const MAX_DEPTH = 5;
const MAX_FILES = 5000;

export function walkProject(root: string): ProjectFiles {
  const files: string[] = [];
  let truncated = false;
  const visit = (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (files.length >= MAX_FILES) {
        truncated = true;
        return;
      }
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (IGNORED_DIRS.has(e.name) || (e.name.startsWith('.') && e.name !== '.github')) continue;
        if (depth < MAX_DEPTH) visit(p, depth + 1);
      } else if (e.isFile() || (e.isSymbolicLink() && safeIsFile(p))) {
        files.push(relative(root, p).split('\\').join('/'));
      }
    }
  };
  visit(root, 0);
  return { root, files, truncated };
}

function safeIsFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
export const dirnameOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.');
