// One cold start: a fresh Node process imports a staged bundle and invokes its handler once.
// Plain JavaScript, run by bare `node` (no tsx loader), as Lambda's runtime would load it.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const [file, exportName = "handler"] = process.argv.slice(2);
const event = JSON.parse(process.env.COLD_EVENT ?? "{}");
const context = { awsRequestId: "cold-bench", functionName: "cold-bench" };

const start = performance.now();
const module = await import(pathToFileURL(file).href);
const imported = performance.now();
let outcome;
try {
  const result = await module[exportName](event, context);
  outcome = String(
    result?.statusCode ??
      (result?.batchItemFailures ? `${result.batchItemFailures.length} failed` : "ok"),
  );
} catch (error) {
  outcome = `threw ${error?.name ?? error}`;
}
const invoked = performance.now();
// Handlers log to stdout: the result is the one line with this prefix.
console.log(
  `COLD_RESULT ${JSON.stringify({ importMs: imported - start, invokeMs: invoked - imported, outcome })}`,
);
