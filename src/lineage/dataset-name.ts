/** The OpenLineage namespace of datasets on the local file system (naming conventions: `file`, `{path}`). */
export const FILE_NAMESPACE = 'file';

/** A dataset's OpenLineage identity: the datasource namespace and the unique name within it. */
export interface DatasetName {
  readonly namespace: string;
  readonly name: string;
}

/** The OpenLineage name of a local file or folder: namespace `file`, name the absolute path. */
export function fileDatasetName(absolutePath: string): DatasetName {
  return { namespace: FILE_NAMESPACE, name: absolutePath };
}

/**
 * Reads `NAMESPACE:NAME`, split at the last colon so namespaces keep their scheme and port
 * (`postgres://db:5432:shop.public.orders`, `file:/data/raw.csv`); undefined when it is not of that form.
 */
export function parseDatasetName(value: string): DatasetName | undefined {
  const at = value.lastIndexOf(':');
  if (at <= 0 || at === value.length - 1) return undefined;
  return { namespace: value.slice(0, at), name: value.slice(at + 1) };
}

/** Writes a dataset name as `NAMESPACE:NAME`, the form `parseDatasetName` reads. */
export function formatDatasetName(dataset: DatasetName): string {
  return `${dataset.namespace}:${dataset.name}`;
}

/** Tells whether two references name the same dataset. */
export function sameDatasetName(a: DatasetName, b: DatasetName): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}
