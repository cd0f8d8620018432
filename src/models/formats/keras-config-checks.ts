import type { Finding, JsonValue, Location } from '../../core/findings.js';
import { findingOf, type Rule } from '../../core/rules.js';
import type { Severity } from '../../core/severity.js';
import { classifyKerasReference, classifyTfApiFunction, isKerasPackage } from './keras-policy.js';
import {
  KERAS_CONFIG_MALFORMED,
  KERAS_CUSTOM_OBJECT,
  KERAS_DANGEROUS_MODULE,
  KERAS_LAMBDA_BYTECODE,
  KERAS_TF_OP_LAMBDA,
  KERAS_UNSAFE_KERAS_API,
} from './onnx-tf-keras-rules.js';

/** Where a Keras config came from, for the location and evidence of its findings. */
export interface KerasConfigOrigin {
  readonly location: Location;
  /** What holds the config, e.g. `config.json` or `HDF5 attribute model_config`. */
  readonly source: string;
}

const MAX_DEPTH = 256;
const MAX_FINDINGS = 100;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const SPECIAL_CLASS = /^__\w+__$/;

type JsonObject = { readonly [key: string]: unknown };

/** Parses Keras JSON and checks it; text that is not JSON is a malformed-config finding. */
export function checkKerasConfigText(text: string, origin: KerasConfigOrigin): Finding[] {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return [
      findingOf(KERAS_CONFIG_MALFORMED, {
        message: `${origin.source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        location: origin.location,
        evidence: { source: origin.source },
      }),
    ];
  }
  return checkKerasConfigValue(value, origin);
}

/**
 * Walks a parsed Keras config (Keras 3 `config.json`, legacy `model_config`, SavedModel Keras metadata)
 * and reports what loading it would run: Lambda bytecode (critical), objects from dangerous modules
 * (high, critical for exec-like names), Keras file and safe-mode APIs (high), TFOpLambda file or code
 * functions, and custom objects from outside Keras (medium). Each finding names its JSON path.
 */
export function checkKerasConfigValue(value: unknown, origin: KerasConfigOrigin): Finding[] {
  const findings: Finding[] = [];
  const report = (
    rule: Rule,
    message: string,
    path: string,
    evidence: Record<string, JsonValue>,
    severity?: Severity,
  ) => {
    if (findings.length >= MAX_FINDINGS) return;
    findings.push(
      findingOf(rule, {
        message: `${message} at ${path || '(root)'} in ${origin.source}`,
        location: origin.location,
        evidence: { source: origin.source, jsonPath: path, ...evidence },
        ...(severity === undefined ? {} : { severity }),
      }),
    );
  };
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  let tooDeep = false;
  while (stack.length > 0 && findings.length < MAX_FINDINGS) {
    const item = stack.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > MAX_DEPTH) {
      if (!tooDeep)
        report(KERAS_CONFIG_MALFORMED, `config nested deeper than ${MAX_DEPTH} levels`, item.path, {});
      tooDeep = true;
      continue;
    }
    const children: Array<[string, unknown]> = Array.isArray(item.value)
      ? item.value.map((child, i): [string, unknown] => [`${item.path}[${i}]`, child])
      : Object.entries(item.value).map(([key, child]): [string, unknown] => [
          childPath(item.path, key),
          child,
        ]);
    if (!Array.isArray(item.value)) inspectObject(item.value as JsonObject, item.path, report);
    for (let i = children.length - 1; i >= 0; i--) {
      const [path, child] = children[i]!;
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return findings;
}

type Report = (
  rule: Rule,
  message: string,
  path: string,
  evidence: Record<string, JsonValue>,
  severity?: Severity,
) => void;

function childPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function objectOf(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function inspectObject(object: JsonObject, path: string, report: Report): void {
  const className = stringOf(object.class_name);
  if (className === undefined) return;
  if (className === '__lambda__') {
    const inner = objectOf(object.config);
    const code = inner?.code ?? inner?.value;
    report(KERAS_LAMBDA_BYTECODE, 'serialized lambda with marshalled Python bytecode', path, {
      className,
      codeChars: bytecodeLength(code),
    });
    return;
  }
  const config = objectOf(object.config);
  if (className === 'Lambda' && config !== undefined)
    inspectLambda(config, childPath(path, 'config'), report);
  if ((className === 'TFOpLambda' || className === 'SlicingOpLambda') && config !== undefined) {
    inspectTfOpLambda(className, config, childPath(path, 'config'), report);
  }
  const module = stringOf(object.module);
  let flagged = false;
  if (module !== undefined && !SPECIAL_CLASS.test(className)) {
    const name = className === 'function' && typeof object.config === 'string' ? object.config : className;
    flagged = inspectReference(module, name, path, report);
  }
  const registered = stringOf(object.registered_name) ?? (className.includes('>') ? className : undefined);
  if (!flagged && registered !== undefined && !isKerasPackage(registered)) {
    report(KERAS_CUSTOM_OBJECT, `custom registered object "${registered}" requires its code`, path, {
      className,
      registeredName: registered,
      ...(module === undefined ? {} : { module }),
    });
  }
}

/** Reports a `module` + name reference; true when something was reported. */
function inspectReference(module: string, name: string, path: string, report: Report): boolean {
  const verdict = classifyKerasReference(module, name);
  const evidence = { module, name };
  switch (verdict.kind) {
    case 'allowed':
      return false;
    case 'unsafe-keras-api':
      report(KERAS_UNSAFE_KERAS_API, `config calls ${module}.${name}`, path, evidence);
      return true;
    case 'dangerous':
      report(
        KERAS_DANGEROUS_MODULE,
        `config loads ${name} from module ${module}`,
        path,
        evidence,
        verdict.runsCode ? 'critical' : undefined,
      );
      return true;
    case 'custom':
      report(KERAS_CUSTOM_OBJECT, `custom object ${module}.${name} requires its code`, path, evidence);
      return true;
  }
}

function inspectLambda(config: JsonObject, path: string, report: Report): void {
  for (const [key, typeKey] of [
    ['function', 'function_type'],
    ['output_shape', 'output_shape_type'],
  ] as const) {
    const value = config[key];
    const kind = stringOf(config[typeKey]);
    // Legacy tf.keras: [base64 marshal, defaults, closure] with *_type "lambda".
    if (Array.isArray(value) && typeof value[0] === 'string' && (kind === 'lambda' || kind === undefined)) {
      report(KERAS_LAMBDA_BYTECODE, 'Lambda layer with marshalled Python bytecode', childPath(path, key), {
        className: 'Lambda',
        codeChars: value[0].length,
      });
    } else if (typeof value === 'string' && kind === 'function' && key === 'function') {
      const module = stringOf(config.module) ?? stringOf(config.function_module);
      if (module !== undefined && classifyKerasReference(module, value).kind === 'dangerous') {
        inspectReference(module, value, childPath(path, key), report);
      } else {
        report(
          KERAS_CUSTOM_OBJECT,
          `Lambda layer calls function "${value}", which requires its code`,
          childPath(path, key),
          {
            className: 'Lambda',
            name: value,
            ...(module === undefined ? {} : { module }),
          },
        );
      }
    }
  }
}

function inspectTfOpLambda(className: string, config: JsonObject, path: string, report: Report): void {
  const fn = stringOf(config.function);
  if (fn === undefined) return;
  const risk = classifyTfApiFunction(fn);
  if (risk === undefined) return;
  report(
    KERAS_TF_OP_LAMBDA,
    `${className} calls tf.${fn}, which ${risk.reason}`,
    childPath(path, 'function'),
    { className, function: fn },
    risk.runsCode ? 'critical' : undefined,
  );
}

function bytecodeLength(code: unknown): number {
  if (typeof code === 'string') return code.length;
  if (Array.isArray(code) && typeof code[0] === 'string') return code[0].length;
  return 0;
}
