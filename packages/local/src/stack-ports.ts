import { assertPortFree, freePort } from "./ports.js";

export interface StackPorts {
  api: number;
  dynamodb: number;
  s3: number;
  cognito: number;
  /** The Lambda Invoke endpoint cognito-local calls for triggers. */
  lambda: number;
  /** The dashboard (Vite). */
  web: number;
  /** The SES v2 emulator and its mail page. */
  ses: number;
}

export const DEFAULT_PORTS: StackPorts = {
  api: 3000,
  dynamodb: 8000,
  s3: 4569,
  cognito: 9229,
  lambda: 3001,
  web: 5173,
  ses: 8005,
};

/** The command-line flag that overrides each port, named in "port busy" messages. */
export const PORT_FLAGS: Record<keyof StackPorts, string> = {
  api: "--api-port",
  dynamodb: "--dynamodb-port",
  s3: "--s3-port",
  cognito: "--cognito-port",
  lambda: "--lambda-port",
  web: "--web-port",
  ses: "--ses-port",
};

const NAMES: Record<keyof StackPorts, string> = {
  api: "API gateway",
  dynamodb: "DynamoDB Local",
  s3: "S3 (s3rver)",
  cognito: "cognito-local",
  lambda: "Lambda endpoint for Cognito triggers",
  web: "dashboard (Vite)",
  ses: "SES emulator (aws-ses-v2-local)",
};

/**
 * Fixed ports are checked up front so a busy one fails with what to do, before anything
 * starts. "free" asks the OS for each port (tests run several stacks side by side).
 */
export async function resolvePorts(
  requested: "free" | Partial<StackPorts> | undefined,
  /** external: DynamoDB runs elsewhere; web: the stack serves the dashboard. */
  options: { external: boolean; web: boolean },
): Promise<StackPorts> {
  if (requested === "free") {
    const ports = { ...DEFAULT_PORTS };
    await Promise.all(
      (Object.keys(ports) as (keyof StackPorts)[]).map(async (key) => {
        ports[key] = await freePort();
      }),
    );
    return ports;
  }
  const ports = { ...DEFAULT_PORTS, ...requested };
  const keys = (Object.keys(ports) as (keyof StackPorts)[]).filter(
    (key) => !(options.external && key === "dynamodb") && (options.web || key !== "web"),
  );
  const seen = new Map<number, keyof StackPorts>();
  for (const key of keys) {
    const other = seen.get(ports[key]);
    if (other) {
      throw new Error(
        `${NAMES[key]} and ${NAMES[other]} cannot both use port ${ports[key]}: pass ${PORT_FLAGS[key]}.`,
      );
    }
    seen.set(ports[key], key);
  }
  for (const key of keys) await assertPortFree(ports[key], NAMES[key], PORT_FLAGS[key]);
  return ports;
}
