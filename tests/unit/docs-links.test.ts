/**
 * Every relative link in README.md and docs/*.md leads to a file of this repository: one that
 * exists, lies inside it (a clone has nothing beside it, such as ../shared/) and is not ignored by
 * git (a clone has no build output or generated models either).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The targets of inline links and images `[text](target "title")` and of `[label]: target` definitions, outside code blocks. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  const definitions = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((match) => match[1]!);
  return [...inline, ...definitions];
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('//');

/** Whether git ignores the path; false where git or the repository is not there to ask. */
function ignoredByGit(path: string): boolean {
  const result = spawnSync('git', ['check-ignore', '-q', '--', path], { cwd: ROOT });
  return result.status === 0;
}

describe('links in the documentation', () => {
  it('finds inline links, images and definitions, and leaves code blocks alone', () => {
    const text = 'See [the map](docs/a.md#top) and ![logo](public/x.svg "Logo").\n[ref]: <bench/b.ts>\n```\nconst y = list[0](x);\n```\n[web](https://example.org)';
    expect(linkTargets(text)).toEqual(['docs/a.md#top', 'public/x.svg', 'https://example.org', 'bench/b.ts']);
    expect(linkTargets(text).filter(isRelative)).toEqual(['docs/a.md#top', 'public/x.svg', 'bench/b.ts']);
  });

  for (const document of DOCUMENTS) {
    it(`${document} links only to files in the repository`, () => {
      const broken = linkTargets(readFileSync(join(ROOT, document), 'utf8'))
        .filter(isRelative)
        .filter((target) => {
          const path = resolve(ROOT, dirname(document), decodeURIComponent(target.split(/[?#]/)[0]!));
          const inside = path === ROOT || path.startsWith(ROOT + sep);
          return !inside || !existsSync(path) || ignoredByGit(relative(ROOT, path));
        });
      expect(broken).toEqual([]);
    });
  }
});
