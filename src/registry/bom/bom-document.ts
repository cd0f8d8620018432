import type { ComponentExtras } from './bom-components.js';

/** A CycloneDX document as plain JSON (the library's normalized form plus the ML fields). */
export type BomDocument = Record<string, unknown>;

/** A component object inside a `BomDocument`. */
type ComponentJson = Record<string, unknown>;

/** Every component of a document: `metadata.component`, `components`, and their nested components. */
export function componentsOf(document: BomDocument): ComponentJson[] {
  const found: ComponentJson[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const component = value as ComponentJson;
    found.push(component);
    if (Array.isArray(component['components'])) for (const child of component['components']) visit(child);
  };
  const metadata = document['metadata'] as Record<string, unknown> | undefined;
  visit(metadata?.['component']);
  if (Array.isArray(document['components'])) for (const component of document['components']) visit(component);
  return found;
}

/**
 * Adds the fields the CycloneDX library does not model to its normalized output, by bom-ref, and
 * records the model's base models as `pedigree.ancestors` (copies without bom-ref, since a bom-ref
 * must be unique; the dependency graph points at the top-level components).
 */
export function applyExtras(
  document: BomDocument,
  extras: ComponentExtras,
  lineage: { readonly modelRef: string; readonly ancestorRefs: readonly string[] },
): void {
  const byRef = new Map<string, ComponentJson>();
  for (const component of componentsOf(document)) {
    const ref = component['bom-ref'];
    if (typeof ref !== 'string') continue;
    byRef.set(ref, component);
    const more = extras.get(ref);
    if (more !== undefined) Object.assign(component, more);
  }
  const ancestors = lineage.ancestorRefs.flatMap((ref) => {
    const component = byRef.get(ref);
    if (component === undefined) return [];
    const { 'bom-ref': _ref, ...copy } = component;
    void _ref;
    return [copy];
  });
  const model = byRef.get(lineage.modelRef);
  if (model !== undefined && ancestors.length > 0) model['pedigree'] = { ancestors };
}

/**
 * Checks what the JSON schema cannot: every bom-ref is unique, and every reference (dependency
 * graph, model card datasets) names a bom-ref of the document. Returns one line per problem.
 */
export function referenceProblems(document: BomDocument): string[] {
  const problems: string[] = [];
  const refs = new Set<string>();
  for (const component of componentsOf(document)) {
    const ref = component['bom-ref'];
    if (typeof ref !== 'string') continue;
    if (refs.has(ref)) problems.push(`bom-ref "${ref}" is used twice`);
    refs.add(ref);
  }
  const check = (ref: unknown, where: string): void => {
    if (typeof ref === 'string' && !refs.has(ref)) problems.push(`${where} names unknown bom-ref "${ref}"`);
  };
  for (const dependency of arrayOf(document['dependencies'])) {
    const edge = dependency as { ref?: unknown; dependsOn?: unknown };
    check(edge.ref, 'dependencies');
    for (const target of arrayOf(edge.dependsOn)) check(target, `dependencies of "${String(edge.ref)}"`);
  }
  for (const component of componentsOf(document)) {
    const card = component['modelCard'] as { modelParameters?: { datasets?: unknown } } | undefined;
    for (const dataset of arrayOf(card?.modelParameters?.datasets))
      check((dataset as { ref?: unknown }).ref, 'modelCard datasets');
  }
  return problems;
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
