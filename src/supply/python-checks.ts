import type { FindingSink } from './check-context.js';
import { argumentFor, literalOf, walkCalls, type BracketFrame, type PyCall } from './python-calls.js';
import { tokenizePython, type PyToken } from './python-tokens.js';
import { isRepoIdShape } from './repo-ids.js';
import {
  MODEL_ORG_LOOKALIKE,
  MODEL_REVISION_UNPINNED,
  MODEL_SHADOW_REPO,
  TRUST_REMOTE_CODE,
} from './rules.js';

/** A Hugging Face loading function and where its repo id argument is. */
interface Loader {
  readonly keywords: readonly string[];
  readonly position: number;
  readonly repoType: 'model' | 'dataset';
}

const LOADERS: Readonly<Record<string, Loader>> = {
  from_pretrained: {
    keywords: ['pretrained_model_name_or_path', 'model_id', 'repo_id'],
    position: 0,
    repoType: 'model',
  },
  pipeline: { keywords: ['model'], position: 1, repoType: 'model' },
  hf_hub_download: { keywords: ['repo_id'], position: 0, repoType: 'model' },
  snapshot_download: { keywords: ['repo_id'], position: 0, repoType: 'model' },
  SentenceTransformer: { keywords: ['model_name_or_path'], position: 0, repoType: 'model' },
  CrossEncoder: { keywords: ['model_name_or_path', 'model_name'], position: 0, repoType: 'model' },
  load_dataset: { keywords: ['path'], position: 0, repoType: 'dataset' },
};

/** First segments of `dir/name` paths that are local folders far more often than Hub organisations. */
const LOCAL_FOLDERS = new Set([
  'models',
  'model',
  'checkpoints',
  'checkpoint',
  'ckpt',
  'ckpts',
  'output',
  'outputs',
  'out',
  'saved',
  'saved_models',
  'weights',
  'results',
  'runs',
  'tmp',
  'data',
  'local',
  'pretrained',
  'cache',
  'artifacts',
  'exports',
  'export',
]);

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

interface TrustSite {
  readonly start: number;
  readonly end: number;
  /** Calls open around the site, innermost last. */
  readonly calls: readonly PyCall[];
}

/**
 * Checks Python source (a `.py` file or a notebook cell): `trust_remote_code=True` as a keyword,
 * in a kwargs dict (`**{"trust_remote_code": True}`), as a subscript assignment or a plain
 * assignment (BW-DEP-012, high when the repo of the same call is not a popular one); and Hugging
 * Face repo ids passed to loaders (`from_pretrained`, `pipeline(model=…)`, `hf_hub_download`,
 * `snapshot_download`, `SentenceTransformer`, `load_dataset`…): look-alike organisations, shadow
 * repos and unpinned revisions. Comments and strings that merely mention these are ignored.
 */
export function checkPythonSource(sink: FindingSink, text: string): void {
  const tokens = tokenizePython(text);
  const sites: TrustSite[] = [];
  const calls = walkCalls(tokens, (index, frames) => {
    const site = trustSiteAt(tokens, index, frames);
    if (site !== undefined) sites.push(site);
  });
  for (const site of sites) reportTrust(sink, tokens, site);
  for (const call of calls) {
    const loader = LOADERS[call.callee];
    if (loader !== undefined) checkLoaderCall(sink, tokens, call, loader);
  }
}

function trustSiteAt(
  tokens: readonly PyToken[],
  i: number,
  frames: readonly BracketFrame[],
): TrustSite | undefined {
  const token = tokens[i];
  if (token === undefined) return undefined;
  if (token.kind !== 'string' && token.text !== 'trust_remote_code') return undefined;
  const before = tokens[i - 1];
  const top = frames[frames.length - 1];
  const calls = (): PyCall[] => frames.flatMap((f) => (f.call === undefined ? [] : [f.call]));
  const isOp = (t: PyToken | undefined, text: string): boolean => t?.kind === 'op' && t.text === text;
  const isTrue = (t: PyToken | undefined): boolean => t?.kind === 'name' && t.text === 'True';
  const ends = (t: PyToken | undefined, closers: readonly string[]): boolean =>
    t === undefined || t.kind === 'newline' || (t.kind === 'op' && closers.includes(t.text));
  if (
    token.kind === 'name' &&
    token.text === 'trust_remote_code' &&
    isOp(tokens[i + 1], '=') &&
    isTrue(tokens[i + 2])
  ) {
    const valueEnd = tokens[i + 2]?.end ?? token.end;
    if (
      top?.call !== undefined &&
      (isOp(before, '(') || isOp(before, ',')) &&
      ends(tokens[i + 3], [',', ')'])
    ) {
      return { start: token.start, end: valueEnd, calls: calls() };
    }
    if (
      frames.length === 0 &&
      (before === undefined || before.kind === 'newline' || isOp(before, ';')) &&
      ends(tokens[i + 3], [';'])
    ) {
      return { start: token.start, end: valueEnd, calls: [] };
    }
    return undefined;
  }
  if (token.kind !== 'string' || token.formatted === true || token.value !== 'trust_remote_code')
    return undefined;
  if (
    top?.bracket === '{' &&
    (isOp(before, '{') || isOp(before, ',')) &&
    isOp(tokens[i + 1], ':') &&
    isTrue(tokens[i + 2])
  ) {
    if (ends(tokens[i + 3], [',', '}']))
      return { start: token.start, end: tokens[i + 2]?.end ?? token.end, calls: calls() };
  }
  if (isOp(before, '[') && isOp(tokens[i + 1], ']') && isOp(tokens[i + 2], '=') && isTrue(tokens[i + 3])) {
    return { start: before?.start ?? token.start, end: tokens[i + 3]?.end ?? token.end, calls: calls() };
  }
  return undefined;
}

function reportTrust(sink: FindingSink, tokens: readonly PyToken[], site: TrustSite): void {
  const loaderCall = [...site.calls].reverse().find((call) => LOADERS[call.callee] !== undefined);
  const loader = loaderCall === undefined ? undefined : LOADERS[loaderCall.callee];
  const repo = loaderCall && loader ? repoLiteral(tokens, loaderCall, loader) : undefined;
  if (repo !== undefined && sink.isIgnored(repo.id)) return;
  const popular = repo !== undefined && sink.settings.repoIds.isPopular(repo.id);
  const severity = repo !== undefined && !popular ? 'high' : 'medium';
  const where =
    repo === undefined
      ? loaderCall === undefined
        ? ''
        : ` in ${loaderCall.callee}() of a repository named at run time`
      : ` for ${popular ? 'the popular' : 'the non-popular'} repository "${repo.id}"`;
  sink.add(TRUST_REMOTE_CODE, {
    start: site.start,
    end: site.end,
    severity,
    message: `trust_remote_code=True${where}: Python code from the repository runs when the model loads`,
    evidence: { ...(repo === undefined ? {} : { repository: repo.id, popular }) },
  });
}

function repoLiteral(
  tokens: readonly PyToken[],
  call: PyCall,
  loader: Loader,
): { id: string; start: number; end: number } | undefined {
  const parts = literalOf(tokens, argumentFor(call, loader.keywords, loader.position));
  const first = parts?.[0];
  const last = parts?.[parts.length - 1];
  if (parts === undefined || first === undefined || last === undefined) return undefined;
  return {
    id: parts
      .map((p) => p.value ?? '')
      .join('')
      .trim(),
    start: first.start,
    end: last.end,
  };
}

function checkLoaderCall(sink: FindingSink, tokens: readonly PyToken[], call: PyCall, loader: Loader): void {
  const repo = repoLiteral(tokens, call, loader);
  if (repo === undefined || sink.isIgnored(repo.id)) return;
  const checker = sink.settings.repoIds;
  const hubId = isRepoIdShape(repo.id) && !LOCAL_FOLDERS.has((repo.id.split('/')[0] ?? '').toLowerCase());
  if (!hubId && !checker.isLegacyId(repo.id)) return;
  const what = loader.repoType === 'dataset' ? 'dataset' : 'model';
  const verdict = hubId ? checker.check(repo.id) : { kind: 'popular' as const };
  if (verdict.kind === 'lookalike-organisation') {
    const imitates = verdict.imitates === undefined ? '' : ` (the popular repo is ${verdict.imitates})`;
    sink.add(MODEL_ORG_LOOKALIKE, {
      start: repo.start,
      end: repo.end,
      message: `${what} "${repo.id}" belongs to an organisation that imitates "${verdict.organisation}"${imitates}`,
      evidence: { repository: repo.id, imitates: verdict.organisation, how: verdict.how },
    });
  } else if (verdict.kind === 'shadow') {
    sink.add(MODEL_SHADOW_REPO, {
      start: repo.start,
      end: repo.end,
      message: `${what} "${repo.id}" reuses the name of the popular ${verdict.imitates} under an unknown organisation`,
      evidence: { repository: repo.id, imitates: verdict.imitates },
    });
  }
  const revisionArg = call.args.find((arg) => arg.keyword === 'revision');
  if (revisionArg !== undefined) {
    const revision = literalOf(tokens, revisionArg);
    if (revision === undefined) return;
    const value = revision.map((p) => p.value ?? '').join('');
    if (COMMIT.test(value)) return;
    sink.add(MODEL_REVISION_UNPINNED, {
      start: revision[0]?.start ?? repo.start,
      end: revision[revision.length - 1]?.end ?? repo.end,
      message: `${what} "${repo.id}" is loaded at revision "${value}", a branch or tag that can move; use a commit hash`,
      evidence: { repository: repo.id, revision: value },
    });
    return;
  }
  if (call.args.some((arg) => arg.star === '**')) return;
  sink.add(MODEL_REVISION_UNPINNED, {
    start: repo.start,
    end: repo.end,
    message: `${what} "${repo.id}" is loaded without revision=, so whatever the repository holds now is used`,
    evidence: { repository: repo.id },
  });
}
