import { randomUUID } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import { digestHex, type Digest } from '../../core/digest.js';
import { BulwarkError } from '../../core/errors.js';
import { VERSION } from '../../version.js';
import { rootDigest, type ManifestResource, type SerializationParams } from '../oms/manifest.js';
import type { ModelTree } from '../oms/model-tree.js';
import { serializeModel, type SerializeOptions } from '../oms/serialization.js';
import type { BomConfig } from './bom-config.js';
import {
  digestComponent,
  huggingFaceModel,
  libraryComponents,
  licenseOf,
  parseHuggingFaceRef,
  type ComponentExtras,
  type HuggingFaceRef,
  type SensitivityLabel,
} from './bom-components.js';
import { applyExtras, type BomDocument } from './bom-document.js';
import { readDependencies } from './dependency-readers.js';
import { buildModelCard, type CardDataset } from './model-card.js';
import { describeModelFiles, readModelFacts, type ModelFacts } from './model-files.js';

/** Looks up the sensitivity label recorded for a dataset digest; undefined when none is known. */
export type SensitivityLookup = (digest: Digest) => Promise<SensitivityLabel | undefined>;

/** A dataset: files hashed like a model, or one known only by its root digest. */
export type DatasetInput =
  | { readonly kind: 'tree'; readonly tree: ModelTree; readonly name?: string }
  | { readonly kind: 'digest'; readonly name: string; readonly digest: Digest };

/** A base model: a Hugging Face repository, or local files hashed like the model. */
export type BaseModelInput =
  | { readonly kind: 'huggingface'; readonly ref: HuggingFaceRef }
  | { readonly kind: 'local'; readonly tree: ModelTree };

/** A dependency manifest or lock file, read by the caller. */
export interface DependencyFile {
  /** As the user named it; its file name decides how it is read. */
  readonly path: string;
  readonly text: string;
}

/** What an ML-BOM is built from. Files arrive as trees and texts, so the engine never touches a disk. */
export interface MlBomInput {
  readonly model: ModelTree;
  /** Model name; default `settings.name`, else the folder or file name. */
  readonly name?: string;
  /** Model version; default `settings.version`. */
  readonly version?: string;
  /** Package URL of the model (e.g. `pkg:huggingface/org/name@rev`), only when the user gives one. */
  readonly purl?: string;
  readonly datasets?: readonly DatasetInput[];
  readonly baseModels?: readonly BaseModelInput[];
  readonly dependencyFiles?: readonly DependencyFile[];
  /** The `bom` section of `bulwark.yaml`. */
  readonly settings?: BomConfig;
  /** Sensitivity labels from the evidence store; without it datasets carry no label. */
  readonly sensitivity?: SensitivityLookup;
  /** How trees are hashed (OMS serialization options: ignore paths, hash function, concurrency). */
  readonly serialization?: Pick<SerializeOptions, 'ignorePaths' | 'hash' | 'concurrency'>;
  /** Default: now. */
  readonly timestamp?: Date;
  /** Default: a random `urn:uuid:`. */
  readonly serialNumber?: string;
}

/** A built ML-BOM, not yet validated or serialized (see `renderBom`). */
export interface MlBom {
  readonly document: BomDocument;
  /** The model's OMS root digest, which an OMS signature of the same files signs. */
  readonly modelDigest: Digest;
  /** The BOM's `urn:uuid:` serial number. */
  readonly serialNumber: string;
  /** What was skipped or could not be read, one line each. */
  readonly warnings: readonly string[];
}

interface HashedTree {
  readonly resources: readonly ManifestResource[];
  readonly root: string;
  readonly params: SerializationParams;
}

/**
 * Builds a CycloneDX 1.6 ML-BOM (control R3): the model with its OMS root digest and files, its
 * model card, datasets with digests and sensitivity labels, base models (pedigree and dependencies)
 * and the Python/npm packages it depends on. Core structures come from the CycloneDX library; the
 * 1.6 ML fields it does not model are added to its normalized output.
 */
export async function buildMlBom(input: MlBomInput): Promise<MlBom> {
  const warnings: string[] = [];
  const extras: ComponentExtras = new Map();
  const hashed = await hashTree(input.model, 'model', input.serialization, warnings);
  const files = await describeModelFiles(input.model, hashed.resources);
  const facts = await readModelFacts(input.model, files);
  warnings.push(...facts.warnings);
  const settings = input.settings;
  const model = modelComponent(input, hashed, facts);
  const modelRef = model.bomRef.toString();
  for (const file of files) {
    const fileRef = `${modelRef}/${file.path}`;
    const type = file.isWeights ? Enums.ComponentType.Data : Enums.ComponentType.File;
    model.components.add(
      new Models.Component(type, file.path, {
        bomRef: fileRef,
        hashes: new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], file.sha256]]),
      }),
    );
    extras.set(fileRef, {
      'mime-type': file.identity.mediaType,
      ...(file.isWeights ? { data: [{ type: 'other', name: file.path }] } : {}),
    });
  }

  const datasets = await datasetComponents(input, extras, warnings);
  const baseModels = await baseModelComponents(input, facts.readme?.baseModels ?? [], warnings);
  const dependencyLists = (input.dependencyFiles ?? []).map((file) => {
    const list = readDependencies(file.path, file.text);
    warnings.push(...list.warnings);
    return { path: file.path, packages: list.packages };
  });
  const libraries = libraryComponents(dependencyLists);
  for (const dependency of [...baseModels, ...datasets, ...libraries])
    model.dependencies.add(dependency.bomRef);

  const cardDatasets: CardDataset[] = [
    ...datasets.map((d) => ({ ref: d.bomRef.toString() })),
    ...(facts.readme?.datasets ?? []).map((id) => ({ type: 'dataset' as const, name: id })),
  ];
  const modelCard = buildModelCard(facts, settings?.modelCard, cardDatasets);
  const tags = facts.readme?.tags ?? [];
  const authors = (settings?.owners ?? []).map((owner) => ({ ...owner }));
  extras.set(modelRef, {
    ...(modelCard === undefined ? {} : { modelCard }),
    ...(tags.length > 0 ? { tags } : {}),
    ...(authors.length > 0 ? { authors } : {}),
  });

  const serialNumber = input.serialNumber ?? `urn:uuid:${randomUUID()}`;
  const bom = new Models.Bom({
    serialNumber,
    metadata: new Models.Metadata({
      timestamp: input.timestamp ?? new Date(),
      component: model,
      tools: new Models.Tools({
        components: new Models.ComponentRepository([
          new Models.Component(Enums.ComponentType.Application, 'bulwark', { version: VERSION }),
        ]),
      }),
    }),
    components: new Models.ComponentRepository([...baseModels, ...datasets, ...libraries]),
  });
  const normalized = new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6)
    .makeForBom()
    .normalize(bom, { sortLists: true });
  const document = JSON.parse(JSON.stringify(normalized)) as BomDocument;
  applyExtras(document, extras, { modelRef, ancestorRefs: baseModels.map((c) => c.bomRef.toString()) });
  return { document, modelDigest: `sha256:${hashed.root}`, serialNumber, warnings };
}

/** The model itself: OMS root digest, name, version, package URL, description and licence. */
function modelComponent(input: MlBomInput, hashed: HashedTree, facts: ModelFacts): Models.Component {
  const settings = input.settings;
  const name = input.name ?? settings?.name ?? input.model.name;
  const model = digestComponent({
    type: Enums.ComponentType.MachineLearningModel,
    bomRef: `model:${name}`,
    name,
    rootDigest: hashed.root,
    properties: omsProperties(hashed.params),
  });
  const version = input.version ?? settings?.version;
  if (version !== undefined) model.version = version;
  if (input.purl !== undefined) model.purl = checkedPurl(input.purl);
  if (settings?.description !== undefined) model.description = settings.description;
  // bulwark.yaml wins over the README; the README's licence name and link only go with its own id.
  const license =
    settings?.license === undefined
      ? facts.readme?.license === undefined
        ? undefined
        : licenseOf(facts.readme.license.id, facts.readme.license)
      : licenseOf(settings.license);
  if (license !== undefined) model.licenses.add(license);
  return model;
}

async function hashTree(
  tree: ModelTree,
  what: string,
  options: MlBomInput['serialization'],
  warnings: string[],
): Promise<HashedTree> {
  const { manifest, issues } = await serializeModel(tree, {
    ...options,
    method: 'files',
    hashType: 'sha256',
  });
  const error = issues.find((issue) => issue.severity === 'error');
  if (error !== undefined) throw new BulwarkError('INPUT_INVALID', `${what} ${tree.name}: ${error.message}`);
  for (const issue of issues) warnings.push(`${what} ${tree.name}: ${issue.message}`);
  return {
    resources: manifest.resources,
    root: rootDigest(manifest.resources),
    params: manifest.serialization,
  };
}

/** How the root digest was computed, so an OMS signer or verifier can reproduce it. */
function omsProperties(params: SerializationParams): [string, string][] {
  return [
    ['bulwark:oms:method', params.method],
    ['bulwark:oms:hashType', params.hashType],
    ...params.ignorePaths.map((path): [string, string] => ['bulwark:oms:ignorePath', path]),
  ];
}

async function datasetComponents(
  input: MlBomInput,
  extras: ComponentExtras,
  warnings: string[],
): Promise<Models.Component[]> {
  const seen = new Set<string>();
  const components: Models.Component[] = [];
  for (const dataset of input.datasets ?? []) {
    let name: string;
    let root: string;
    const properties: [string, string][] = [];
    if (dataset.kind === 'tree') {
      const hashed = await hashTree(dataset.tree, 'dataset', input.serialization, warnings);
      name = dataset.name ?? dataset.tree.name;
      root = hashed.root;
      properties.push(['bulwark:dataset:fileCount', String(hashed.resources.length)]);
    } else {
      name = dataset.name;
      root = digestHex(dataset.digest);
    }
    if (seen.has(root)) continue;
    seen.add(root);
    const label = await input.sensitivity?.(`sha256:${root}`);
    if (label !== undefined) properties.push(['bulwark:sensitivity', label]);
    const bomRef = `dataset:${name}@sha256:${root}`;
    components.push(
      digestComponent({ type: Enums.ComponentType.Data, bomRef, name, rootDigest: root, properties }),
    );
    extras.set(bomRef, {
      data: [{ type: 'dataset', name, ...(label === undefined ? {} : { classification: label }) }],
    });
  }
  return components;
}

async function baseModelComponents(
  input: MlBomInput,
  fromReadme: readonly string[],
  warnings: string[],
): Promise<Models.Component[]> {
  const components = new Map<string, Models.Component>();
  for (const base of input.baseModels ?? []) {
    if (base.kind === 'huggingface') {
      const component = huggingFaceModel(base.ref);
      components.set(component.bomRef.toString(), component);
      continue;
    }
    const hashed = await hashTree(base.tree, 'base model', input.serialization, warnings);
    const bomRef = `base-model:${base.tree.name}@sha256:${hashed.root}`;
    components.set(
      bomRef,
      digestComponent({
        type: Enums.ComponentType.MachineLearningModel,
        bomRef,
        name: base.tree.name,
        rootDigest: hashed.root,
        properties: omsProperties(hashed.params),
      }),
    );
  }
  const given = new Set(
    (input.baseModels ?? []).flatMap((b) => (b.kind === 'huggingface' ? [b.ref.id.toLowerCase()] : [])),
  );
  for (const id of fromReadme) {
    const ref = parseHuggingFaceRef(id);
    if (ref === undefined) warnings.push(`README.md base_model "${id}" is not a Hugging Face model id`);
    else if (!given.has(ref.id.toLowerCase())) {
      const component = huggingFaceModel(ref, 'README.md');
      components.set(component.bomRef.toString(), component);
    }
  }
  return [...components.values()];
}

function checkedPurl(purl: string): string {
  try {
    return PackageURL.fromString(purl).toString();
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `not a package URL: ${purl}`, { cause: error });
  }
}
