// Validates every document of a rendered overlay (node validate.mjs <rendered.yaml> <strimzi-crd-dir>|-):
//  - apiVersion/kind must be on the allow-list of what the target cluster serves (Kubernetes 1.30+ with
//    Strimzi 1.x and CloudNativePG 1.27+);
//  - core kinds against kubernetes-models (compiled from the Kubernetes OpenAPI: types, enums, required);
//  - CloudNativePG Clusters against @kubernetes-models/cloudnative-pg (from CNPG's API types);
//  - Strimzi resources against the CRDs generated from io.strimzi:api, strictly: objects refuse properties
//    their schema does not declare (as the API server's structural-schema pruning would drop them);
//  - unknown fields of the core kinds and of CloudNativePG Clusters against the packages' declarations.
// Prints a JSON report {"documents": n, "errors": [...]} and exits 0; the JUnit test decides.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import Ajv from "ajv";

const [, , renderedFile, crdDir] = process.argv;
const NODE_MODULES = path.resolve("node_modules");

const CORE = {
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/ServiceAccount": "kubernetes-models/v1/ServiceAccount",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "networking.k8s.io/v1/Ingress": "kubernetes-models/networking.k8s.io/v1/Ingress",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
  "postgresql.cnpg.io/v1/Cluster": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster",
};
const STRIMZI = {
  "kafka.strimzi.io/v1/Kafka": "kafka.yaml",
  "kafka.strimzi.io/v1/KafkaNodePool": "kafkanodepool.yaml",
  "kafka.strimzi.io/v1/KafkaTopic": "kafkatopic.yaml",
};

/**
 * Unknown fields against the TypeScript declarations a kubernetes-models package ships (one interface per
 * file, generated from the same API types as its validators, which do not refuse unknown properties).
 */
const cache = new Map();
function declaration(file) {
  if (cache.has(file)) {
    return cache.get(file);
  }
  let result = null;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, "utf8");
    const imports = {};
    for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
      imports[m[1]] = m[2];
    }
    const block = text.match(/^export interface \w+[^{]*\{\n([\s\S]*?)\n\}/m);
    if (block) {
      const props = {};
      for (const m of block[1].matchAll(/^ {4}"([^"]+)"\??: (.*?);?$/gm)) {
        props[m[1]] = m[2];
      }
      result = { dir: path.dirname(file), imports, props, extendsTypeMeta: /extends TypeMeta/.test(block[0]) };
    }
  }
  cache.set(file, result);
  return result;
}

function resolveImport(nodeModules, dir, spec) {
  const base = spec.replace(/\.js$/, "");
  return base.startsWith(".") ? path.resolve(dir, base + ".d.ts") : path.join(nodeModules, base + ".d.ts");
}

function unknownFields(nodeModules, file, value, where, errors) {
  const decl = declaration(file);
  if (!decl || value === null || typeof value !== "object" || Array.isArray(value)) {
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (decl.extendsTypeMeta && (key === "apiVersion" || key === "kind")) {
      continue;
    }
    const type = decl.props[key];
    if (type === undefined) {
      errors.push(`${where}: unknown field '${key}'`);
      continue;
    }
    const single = type.match(/^(I\w+)$/);
    const array = type.match(/^Array<(I\w+)>$/);
    const name = single?.[1] ?? array?.[1];
    if (!name || !decl.imports[name]) {
      continue;
    }
    const target = resolveImport(nodeModules, decl.dir, decl.imports[name]);
    if (array && Array.isArray(child)) {
      child.forEach((element, i) => unknownFields(nodeModules, target, element, `${where}.${key}[${i}]`, errors));
    } else if (single) {
      unknownFields(nodeModules, target, child, `${where}.${key}`, errors);
    }
  }
}

/** The API server's view of a structural schema, for ajv: unknown properties refused, int-or-string. */
function strict(schema) {
  if (Array.isArray(schema)) {
    return schema.map(strict);
  }
  if (schema === null || typeof schema !== "object") {
    return schema;
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-")) {
      continue;
    }
    out[key] = key === "properties" || key === "patternProperties"
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v)]))
      : strict(value);
  }
  if (schema["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (out.type === "object" && out.properties && out.additionalProperties === undefined
      && !schema["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const crdValidators = {};
for (const [key, file] of Object.entries(crdDir === "-" ? {} : STRIMZI)) {
  const crdPath = path.join(crdDir, file);
  const crd = YAML.parse(fs.readFileSync(crdPath, "utf8"));
  const version = crd.spec.versions.find((v) => v.name === key.split("/")[1] && v.served);
  if (!version) {
    throw new Error(`${crdPath} does not serve ${key}`);
  }
  const schema = strict(version.schema.openAPIV3Schema);
  // metadata is the API server's, not the CRD's
  schema.properties.metadata = { type: "object" };
  crdValidators[key] = ajv.compile(schema);
}

const errors = [];
const unvalidated = [];
const docs = YAML.parseAllDocuments(fs.readFileSync(renderedFile, "utf8"))
  .map((d) => d.toJS())
  .filter((d) => d !== null);
for (const doc of docs) {
  const key = `${doc.apiVersion}/${doc.kind}`;
  const where = `${doc.kind}/${doc.metadata?.name}`;
  if (CORE[key]) {
    const { [doc.kind]: Model } = await import(CORE[key]);
    try {
      new Model(doc).validate();
    } catch (e) {
      errors.push(`${where}: ${e.message}`);
    }
    unknownFields(NODE_MODULES, path.join(NODE_MODULES, CORE[key] + ".d.ts"), doc, where, errors);
  } else if (crdValidators[key]) {
    const validate = crdValidators[key];
    if (!validate(doc)) {
      for (const e of validate.errors) {
        const extra = e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : "";
        errors.push(`${where}: ${e.instancePath || "/"} ${e.message}${extra}`);
      }
    }
  } else if (STRIMZI[key]) {
    unvalidated.push(where); // no CRDs given (no Java 21+ to generate them): on the allow-list, not checked
  } else {
    errors.push(`${where}: ${key} is not on the allow-list of API versions the target cluster serves`);
  }
}
process.stdout.write(JSON.stringify({ documents: docs.length, errors, unvalidated }, null, 1) + "\n");
