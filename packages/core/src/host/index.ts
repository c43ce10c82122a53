export * as Host from "./index.js";

import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type PutCommandInput, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { type Actor, assertCanActFor } from "../actor.js";
import { documentClient, isConditionalCheckFailure } from "../dynamo.js";
import { NotFound } from "../errors.js";
import { HostId, newId } from "../ids.js";
import { runtime } from "../runtime.js";
import { parseInput } from "../validation.js";
import { type HostItem, hostEntity, hostSubjectEntity } from "./entity.js";
import { DISPLAY_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH, registrationOf } from "./registration.js";

export {
  type CognitoAttributes,
  DISPLAY_NAME_MAX_LENGTH,
  FALLBACK_DISPLAY_NAME,
  IncompleteCognitoUser,
  normaliseDisplayName,
  type Registration,
  registrationOf,
} from "./registration.js";
export { HostId };

/**
 * A host's e-mail: a copy of the Cognito attribute, which Cognito owns and verifies by sending
 * the confirmation code there. Only what the record needs is checked (see registrationOf).
 */
export const Email = z.string().min(1).max(EMAIL_MAX_LENGTH);

/** What the API returns for a host. The Cognito subject stays internal. */
export const Info = z.object({
  hostId: HostId,
  email: Email,
  displayName: z.string(),
  /** Review e-mails (listing approved or rejected, photo failed): on unless turned off. */
  reviewEmails: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Info = z.infer<typeof Info>;

export const DisplayName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(DISPLAY_NAME_MAX_LENGTH, `must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`)
  // Control characters would end up in emails and dashboards verbatim.
  .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters");

export const UpdateInput = z
  .strictObject({ displayName: DisplayName.optional(), reviewEmails: z.boolean().optional() })
  .refine((input) => Object.keys(input).length > 0, "give displayName or reviewEmails");
export type UpdateInput = z.infer<typeof UpdateInput>;

export const RegisterInput = z.object({
  cognitoSub: z.string().min(1),
  email: Email,
  displayName: DisplayName.optional(),
  /** Default true; false for hosts without a mailbox (the seed's, at example.com). */
  reviewEmails: z.boolean().optional(),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

function toInfo(item: HostItem): Info {
  return {
    hostId: item.hostId,
    email: item.email,
    displayName: item.displayName,
    reviewEmails: item.reviewEmails ?? true,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export async function bySub(cognitoSub: string): Promise<Info | undefined> {
  const { data } = await hostEntity().query.bySub({ cognitoSub }).go({ limit: 1 });
  return data[0] ? toInfo(data[0]) : undefined;
}

// The Cognito subject of a user never changes and neither does its host id, so the
// mapping is safe to keep for the life of the runtime (the container's, in Lambda) and saves
// a query per request. Per runtime, not per process: another runtime reads another table.
const hostIdCache = () => runtime().memo(hostIdOf, () => new Map<string, string>());

/** The caller's own host id, or undefined when the caller has no host record (yet). */
export async function hostIdOf(cognitoSub: string): Promise<string | undefined> {
  const hostIdBySub = hostIdCache();
  const cached = hostIdBySub.get(cognitoSub);
  if (cached) return cached;
  const host = await bySub(cognitoSub);
  if (host) hostIdBySub.set(cognitoSub, host.hostId);
  return host?.hostId;
}

/**
 * Creates the host record of a newly confirmed user. Idempotent per Cognito subject:
 * Cognito retries a trigger that timed out, and a retry must not create a second host.
 */
export async function register(input: RegisterInput): Promise<Info> {
  const parsed = parseInput(RegisterInput, input);
  const { cognitoSub } = parsed;
  const existing = await bySub(cognitoSub);
  if (existing) return existing;
  const hostId = newId("host");
  const host = hostEntity()
    .create({
      hostId,
      cognitoSub,
      email: parsed.email,
      displayName:
        parsed.displayName ?? registrationOf({ sub: cognitoSub, email: parsed.email }).displayName,
      ...(parsed.reviewEmails === undefined ? {} : { reviewEmails: parsed.reviewEmails }),
    })
    .params() as PutCommandInput; // ElectroDB types its params loosely
  const claim = hostSubjectEntity().create({ cognitoSub, hostId }).params() as PutCommandInput;
  try {
    await documentClient().send(
      new TransactWriteCommand({ TransactItems: [{ Put: claim }, { Put: host }] }),
    );
  } catch (error) {
    if (!lostClaim(error)) throw error;
    // A concurrent run registered this subject first (GSI3 may not show it yet): its host.
    const { data: winner } = await hostSubjectEntity().get({ cognitoSub }).go({ consistent: true });
    const { data } = winner
      ? await hostEntity().get({ hostId: winner.hostId }).go({ consistent: true })
      : { data: null };
    if (!data) throw error;
    return toInfo(data);
  }
  return toInfo(hostEntity().parse({ Item: host.Item }).data as HostItem);
}

function lostClaim(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed"
  );
}

export async function get(actor: Actor, hostId: string): Promise<Info> {
  assertCanActFor(actor, hostId);
  const { data } = await hostEntity().get({ hostId }).go();
  if (!data) throw new NotFound("Host", hostId);
  return toInfo(data);
}

/** The caller's own profile; never creates one (that is the sign-up trigger's job). */
export async function me(actor: Actor): Promise<Info> {
  if (!actor.hostId) throw new NotFound("Host profile of user", actor.sub);
  return get(actor, actor.hostId);
}

export async function update(actor: Actor, hostId: string, input: unknown): Promise<Info> {
  assertCanActFor(actor, hostId);
  const changes = parseInput(UpdateInput, input);
  try {
    const { data } = await hostEntity().patch({ hostId }).set(changes).go({ response: "all_new" });
    return toInfo(data as HostItem);
  } catch (error) {
    // patch() is conditional on the item existing.
    if (isConditionalCheckFailure(error)) throw new NotFound("Host", hostId);
    throw error;
  }
}
