import { createHash, type Hash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isObject, type Json } from "./side.js";

/**
 * Content fingerprints of a cloud assembly's staged assets (Lambda bundles, container build
 * contexts), keyed by the asset hash the templates reference. Unlike that hash, a
 * fingerprint does not change with the stage: it hashes the staged files as they are,
 * except the one stage-derived thing SST puts into a bundle (below). CDK's own asset hash
 * also covers things a fingerprint does not need to see (SST adds the stack name to its
 * custom-resource handler's).
 */
export function fingerprintAssets(assemblyDir: string): Record<string, string> {
  const fingerprints: Record<string, string> = {};
  for (const file of readdirSync(assemblyDir).filter((name) => name.endsWith(".assets.json"))) {
    const manifest = JSON.parse(readFileSync(path.join(assemblyDir, file), "utf8")) as Json;
    if (!isObject(manifest)) continue;
    const { files, dockerImages } = manifest;
    for (const [hash, asset] of Object.entries(isObject(files) ? files : {})) {
      const source = isObject(asset) && isObject(asset.source) ? asset.source : undefined;
      // Each stack's own template is listed as an asset too; no template refers to it.
      if (typeof source?.path !== "string" || source.path.endsWith(".template.json")) continue;
      fingerprints[hash] = fingerprintPath(path.join(assemblyDir, source.path));
    }
    for (const [hash, asset] of Object.entries(isObject(dockerImages) ? dockerImages : {})) {
      const source = isObject(asset) && isObject(asset.source) ? asset.source : undefined;
      if (typeof source?.directory !== "string") continue;
      // The build options (Dockerfile, build args, platform) shape the image as much as the
      // context does.
      const { directory, ...options } = source;
      const digest = createHash("sha256").update(JSON.stringify(options));
      fingerprints[hash] = fingerprintPath(path.join(assemblyDir, directory), digest);
    }
  }
  return fingerprints;
}

function fingerprintPath(root: string, digest: Hash = createHash("sha256")): string {
  const walk = (relative: string) => {
    const absolute = path.join(root, relative);
    const stat = statSync(absolute);
    if (stat.isDirectory()) {
      for (const name of readdirSync(absolute).sort()) walk(path.join(relative, name));
      return;
    }
    digest.update(`${relative.split(path.sep).join("/")}\0`);
    digest.update(fileContents(absolute));
    digest.update("\0");
  };
  walk("");
  return digest.digest("hex");
}

/**
 * SST runs `npm install` in every Node bundle (for packages it must not bundle), and npm
 * names the lockfile after the folder: the function's construct address, which contains
 * the stack name and so the stage. The name says nothing about the code.
 */
function fileContents(file: string): Buffer | string {
  const contents = readFileSync(file);
  if (path.basename(file) !== "package-lock.json") return contents;
  try {
    const lock = JSON.parse(contents.toString("utf8")) as Json;
    if (!isObject(lock)) return contents;
    const { name: _name, ...rest } = lock;
    const packages = isObject(rest.packages) ? { ...rest.packages } : undefined;
    const root = packages?.[""];
    if (packages && isObject(root)) {
      const { name: _rootName, ...rootRest } = root;
      packages[""] = rootRest;
    }
    return JSON.stringify(packages ? { ...rest, packages } : rest);
  } catch {
    return contents;
  }
}
