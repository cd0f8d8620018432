import { Contrib, Enums, Models } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import spdxExpressionParse from 'spdx-expression-parse';
import type { PackageHash, PackageRef } from './dependency-readers.js';

/** Fields of a component the CycloneDX library does not model (`modelCard`, `data`, `tags`…), by bom-ref. */
export type ComponentExtras = Map<string, Record<string, unknown>>;

export { SENSITIVITY_LABELS, type SensitivityLabel } from '../../data/types.js';

/** A Hugging Face model repository and, when pinned, its revision. */
export interface HuggingFaceRef {
  readonly id: string;
  readonly revision?: string;
}

const HF_ID = /^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const HF_REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,255}$/;

/** Reads `org/name[@revision]` (or a legacy `name`), or returns undefined when it is not that shape. */
export function parseHuggingFaceRef(value: string): HuggingFaceRef | undefined {
  const at = value.indexOf('@');
  const id = at < 0 ? value : value.slice(0, at);
  const revision = at < 0 ? undefined : value.slice(at + 1);
  if (!HF_ID.test(id) || id.includes('..') || (revision !== undefined && !HF_REVISION.test(revision)))
    return undefined;
  return revision === undefined ? { id } : { id, revision };
}

/** The `pkg:huggingface/…` package URL of a model repository. */
export function huggingFacePurl(ref: HuggingFaceRef): string {
  const slash = ref.id.indexOf('/');
  const namespace = slash < 0 ? undefined : ref.id.slice(0, slash);
  return new PackageURL('huggingface', namespace, ref.id.slice(slash + 1), ref.revision).toString();
}

/**
 * A base model on the Hugging Face Hub, identified by its package URL (pinned when a revision is
 * given); `source` names the file it was read from, when it was not given by the user.
 */
export function huggingFaceModel(ref: HuggingFaceRef, source?: string): Models.Component {
  const purl = huggingFacePurl(ref);
  const slash = ref.id.indexOf('/');
  return new Models.Component(Enums.ComponentType.MachineLearningModel, ref.id.slice(slash + 1), {
    bomRef: purl,
    purl,
    ...(slash < 0 ? {} : { group: ref.id.slice(0, slash) }),
    ...(ref.revision === undefined ? {} : { version: ref.revision }),
    properties: new Models.PropertyRepository(
      source === undefined ? [] : [new Models.Property('bulwark:source', source)],
    ),
  });
}

/** A component identified by the OMS root digest of its files (a local base model or a dataset). */
export function digestComponent(options: {
  readonly type: Enums.ComponentType;
  readonly bomRef: string;
  readonly name: string;
  /** Lowercase hex SHA-256 root digest. */
  readonly rootDigest: string;
  readonly properties?: readonly (readonly [string, string])[];
}): Models.Component {
  return new Models.Component(options.type, options.name, {
    bomRef: options.bomRef,
    hashes: new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], options.rootDigest]]),
    properties: new Models.PropertyRepository(
      [
        ['bulwark:oms:rootDigest', `sha256:${options.rootDigest}`] as const,
        ...(options.properties ?? []),
      ].map(([name, value]) => new Models.Property(name, value)),
    ),
  });
}

const licenseFactory = new Contrib.License.Factories.LicenseFactory((expression: string) => {
  spdxExpressionParse(expression);
});

/**
 * A licence from an SPDX id (any case, as Hugging Face writes `apache-2.0`), an SPDX expression, or
 * a name; `other` (the Hub's "see the licence name") becomes the licence name when there is one.
 */
export function licenseOf(
  value: string,
  details: { readonly name?: string; readonly url?: string } = {},
): Models.License | undefined {
  if (value.toLowerCase() === 'other') {
    if (details.name === undefined) return undefined;
    return new Models.NamedLicense(details.name, details.url === undefined ? {} : { url: details.url });
  }
  const license = licenseFactory.makeFromString(value);
  if (details.url !== undefined && !(license instanceof Models.LicenseExpression)) license.url = details.url;
  return license;
}

/** A package seen in one or more dependency files, merged by package URL. */
interface MergedPackage {
  readonly ref: PackageRef;
  readonly purl: string;
  readonly hashes: Map<string, string>;
  readonly fileHashes: Set<string>;
  readonly sources: Set<string>;
  isDevelopment: boolean;
}

/** Library components for the packages of every dependency file, one per package URL. */
export function libraryComponents(
  lists: readonly { readonly path: string; readonly packages: readonly PackageRef[] }[],
): Models.Component[] {
  const merged = new Map<string, MergedPackage>();
  for (const { path, packages } of lists) {
    for (const ref of packages) {
      const purl = packagePurl(ref);
      const entry = merged.get(purl) ?? {
        ref,
        purl,
        hashes: new Map<string, string>(),
        fileHashes: new Set<string>(),
        sources: new Set<string>(),
        isDevelopment: true,
      };
      for (const hash of ref.hashes) entry.hashes.set(hash.alg, hash.content);
      for (const hash of ref.fileHashes) entry.fileHashes.add(hashText(hash));
      entry.sources.add(path);
      entry.isDevelopment &&= ref.isDevelopment;
      merged.set(purl, entry);
    }
  }
  return [...merged.values()].map((entry) => {
    const { name, group } = splitNpmScope(entry.ref);
    const properties = [
      ...[...entry.sources].map((source) => new Models.Property('bulwark:package:source', source)),
      ...[...entry.fileHashes].map((hash) => new Models.Property('bulwark:package:fileHash', hash)),
    ];
    return new Models.Component(Enums.ComponentType.Library, name, {
      bomRef: entry.purl,
      purl: entry.purl,
      ...(group === undefined ? {} : { group }),
      ...(entry.ref.version === undefined ? {} : { version: entry.ref.version }),
      // Development-only packages are not part of what runs (CycloneDX scope "excluded").
      ...(entry.isDevelopment ? { scope: Enums.ComponentScope.Excluded } : {}),
      hashes: new Models.HashDictionary(
        [...entry.hashes].map(([alg, content]) => [alg as Enums.HashAlgorithm, content] as const),
      ),
      properties: new Models.PropertyRepository(properties),
    });
  });
}

function packagePurl(ref: PackageRef): string {
  const { name, group } = splitNpmScope(ref);
  return new PackageURL(ref.ecosystem, group, name, ref.version).toString();
}

function splitNpmScope(ref: PackageRef): { name: string; group?: string } {
  const slash = ref.name.indexOf('/');
  if (ref.ecosystem !== 'npm' || !ref.name.startsWith('@') || slash < 0) return { name: ref.name };
  return { group: ref.name.slice(0, slash), name: ref.name.slice(slash + 1) };
}

function hashText(hash: PackageHash): string {
  return `${hash.alg.toLowerCase().replace('-', '')}:${hash.content}`;
}
